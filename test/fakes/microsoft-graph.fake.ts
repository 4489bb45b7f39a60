import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeProcessor, type FakeRequest, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * Microsoft Graph and the Microsoft identity platform, as far as the Office 365 connector uses them:
 * - `POST /{tenant}/oauth2/v2.0/token` (client credentials; errors `invalid_client` 401,
 *   `unauthorized_client` / `invalid_request` with an AADSTS number, 400), tokens are JWTs with `roles`;
 * - `GET /v1.0/users/{mailbox}/messages` with `$top` (capped, so paging shows), `$select`, `$skip`,
 *   `$search="participants:…"` (matched loosely, as KQL does: an address that contains the term
 *   matches too; at most 1,000 results) and `@odata.nextLink` paging;
 * - `GET …/messages/{id}/$value` (the MIME message), `POST …/messages/{id}/permanentDelete` (204);
 * - errors as Graph sends them: `{ error: { code, message } }`, 429 `TooManyRequests` with Retry-After.
 */

export const GRAPH_FAKE = {
  tenantId: 'b7c6a2e0-5f1d-4c3e-9a8b-000000000001',
  clientId: 'inzage-fake-app',
  clientSecret: 'fake-graph-secret-0123456789',
  mailbox: 'enrico@balkonzon.nl',
} as const;

export interface FakeMessage {
  id: string;
  subject: string;
  from: string;
  to: string[];
  cc: string[];
  receivedDateTime: string;
  body: string;
}

export interface GraphFakeOptions {
  /** Messages in the mailbox, the person's included; default 1,000. */
  messages?: number;
  /** Address → how many of the messages have it as sender or recipient. */
  people?: Record<string, number>;
  /** Seconds a token lives; default 3,599 as Entra ID's. */
  tokenLifetime?: number;
  /** The app's application permissions; default Mail.ReadWrite. */
  roles?: string[];
  /** The largest page the fake serves (Graph's is 1,000; smaller here so that paging shows). Default 100. */
  maxTop?: number;
}

export interface GraphFake extends FakeProcessor {
  /** The mailbox as it is now. */
  messages: FakeMessage[];
  /** Tokens issued so far. */
  tokensIssued(): number;
  /** Ids permanently deleted. */
  deleted: string[];
  /** Makes every token issued so far invalid (as after a secret rotation). */
  revokeTokens(): void;
  /** After `after` more permanent deletes, the next `times` (default all) are answered with `status` (a Graph error). */
  failDeletesAfter(after: number, status: number, times?: number): void;
}

export const GRAPH_FAKE_PERSON = 'sanne.deboer@example.nl';
/** Someone whose address is contained in the person's: a loose search for her finds the person's messages too. */
export const GRAPH_FAKE_LOOKALIKE = 'anne.deboer@example.nl';

export async function startMicrosoftGraphFake(options: GraphFakeOptions = {}): Promise<GraphFake> {
  const messages = buildMailbox(
    options.messages ?? 1000,
    options.people ?? { [GRAPH_FAKE_PERSON]: 37, [GRAPH_FAKE_LOOKALIKE]: 5 },
  );
  const maxTop = options.maxTop ?? 100;
  const roles = options.roles ?? ['Mail.ReadWrite'];
  const tokens = new Map<string, { roles: string[] }>();
  const deleted: string[] = [];
  let issued = 0;
  let refuseDeletes: { after: number; status: number; times: number } | undefined;

  const handler = (req: FakeRequest, res: ServerResponse) => {
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(req.path);
    if (token && req.method === 'POST') return issueToken(req, res, decodeURIComponent(token[1]!));
    const route = /^\/v1\.0\/users\/([^/]+)\/messages(?:\/([^/]+)(?:\/(\$value|permanentDelete))?)?$/.exec(req.path);
    if (!route) return graphError(res, 400, 'BadRequest', 'Resource not found for the segment.');
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grant = auth ? tokens.get(auth) : undefined;
    if (!grant) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    if (decodeURIComponent(route[1]!).toLowerCase() !== GRAPH_FAKE.mailbox)
      return graphError(res, 404, 'ErrorInvalidUser', 'The requested user is invalid.');
    const canRead = grant.roles.includes('Mail.Read') || grant.roles.includes('Mail.ReadWrite');
    if (!canRead)
      return graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    const id = route[2] ? decodeURIComponent(route[2]) : undefined;
    if (!id && req.method === 'GET') return listMessages(req, res);
    const index = messages.findIndex((m) => m.id === id);
    if (index < 0) return graphError(res, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const message = messages[index]!;
    if (route[3] === '$value' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(toEml(message));
    }
    if (route[3] === 'permanentDelete' && req.method === 'POST') {
      if (!grant.roles.includes('Mail.ReadWrite'))
        return graphError(res, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      if (refuseDeletes && refuseDeletes.after <= 0 && refuseDeletes.times > 0) {
        refuseDeletes.times--;
        return graphError(res, refuseDeletes.status, 'ErrorAccessDenied', 'Injected refusal of a delete.');
      }
      if (refuseDeletes) refuseDeletes.after--;
      messages.splice(index, 1);
      deleted.push(message.id);
      res.writeHead(204);
      return res.end();
    }
    if (!route[3] && req.method === 'GET') return sendJson(res, 200, toGraph(message, undefined));
    return graphError(res, 405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  };

  function issueToken(req: FakeRequest, res: ServerResponse, tenant: string) {
    const form = req.form();
    if (tenant !== GRAPH_FAKE.tenantId)
      return sendJson(res, 400, {
        error: 'invalid_request',
        error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
      });
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'https://graph.microsoft.com/.default')
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'AADSTS900144: bad grant or scope.' });
    if (form.get('client_id') !== GRAPH_FAKE.clientId)
      return sendJson(res, 400, {
        error: 'unauthorized_client',
        error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found.`,
      });
    if (form.get('client_secret') !== GRAPH_FAKE.clientSecret)
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
      });
    issued++;
    const lifetime = options.tokenLifetime ?? 3599;
    const claims = {
      aud: 'https://graph.microsoft.com',
      tid: tenant,
      appid: GRAPH_FAKE.clientId,
      roles,
      jti: randomUUID(),
    };
    const accessToken = [{ typ: 'JWT', alg: 'none' }, claims, 'fake']
      .map((part) => Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url'))
      .join('.');
    tokens.set(accessToken, { roles });
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    });
  }

  function listMessages(req: FakeRequest, res: ServerResponse) {
    const top = Math.min(Number(req.query.get('$top') ?? 10) || 10, maxTop);
    const skip = Number(req.query.get('$skip') ?? 0) || 0;
    const select = req.query.get('$select')?.split(',');
    const search = req.query.get('$search');
    let matching = messages;
    if (search !== null) {
      const term = /^"participants:([^"]*)"$/.exec(search)?.[1]?.toLowerCase();
      if (term === undefined) return graphError(res, 400, 'BadRequest', 'Syntax error in $search.');
      // KQL matches loosely: a longer address that contains the term is found too.
      matching = messages.filter((m) => [m.from, ...m.to, ...m.cc].some((a) => a.toLowerCase().includes(term)));
      matching = matching.slice(0, 1000);
    }
    const page = matching.slice(skip, skip + top);
    const body: Record<string, unknown> = { value: page.map((m) => toGraph(m, select)) };
    if (skip + top < matching.length) {
      const next = new URL(`${fake.url}${req.path}`);
      for (const [k, v] of req.query) if (k !== '$skip') next.searchParams.set(k, v);
      next.searchParams.set('$skip', String(skip + top));
      body['@odata.nextLink'] = next.toString();
    }
    sendJson(res, 200, body);
  }

  const fake = await startFakeServer(handler, {
    env: (url) => ({
      MS_TENANT_ID: GRAPH_FAKE.tenantId,
      MS_CLIENT_ID: GRAPH_FAKE.clientId,
      MS_CLIENT_SECRET: GRAPH_FAKE.clientSecret,
      MS_GRAPH_URL: url,
    }),
    failure: (res, status, retryAfter) =>
      graphError(
        res,
        status,
        status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServiceUnavailable' : 'BadRequest',
        'Injected failure.',
        retryAfter,
      ),
  });
  return {
    ...fake,
    messages,
    deleted,
    tokensIssued: () => issued,
    revokeTokens: () => tokens.clear(),
    failDeletesAfter: (after, status, times = Number.POSITIVE_INFINITY) => {
      refuseDeletes = { after, status, times };
    },
  };
}

function graphError(res: ServerResponse, status: number, code: string, message: string, retryAfter?: number) {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  sendJson(
    res,
    status,
    { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } },
    headers,
  );
}

const recipient = (address: string) => ({ emailAddress: { address, name: nameOf(address) } });

function toGraph(m: FakeMessage, select: string[] | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: m.id,
    subject: m.subject,
    from: recipient(m.from),
    sender: recipient(m.from),
    toRecipients: m.to.map(recipient),
    ccRecipients: m.cc.map(recipient),
    bccRecipients: [],
    replyTo: [],
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.receivedDateTime,
    bodyPreview: m.body.slice(0, 60),
  };
  if (!select) return full;
  return Object.fromEntries(Object.entries(full).filter(([k]) => k === 'id' || select.includes(k)));
}

function toEml(m: FakeMessage): string {
  return [
    `From: ${nameOf(m.from)} <${m.from}>`,
    `To: ${m.to.map((a) => `${nameOf(a)} <${a}>`).join(', ')}`,
    ...(m.cc.length ? [`Cc: ${m.cc.join(', ')}`] : []),
    `Subject: ${m.subject}`,
    `Date: ${new Date(m.receivedDateTime).toUTCString()}`,
    `Message-ID: <${m.id}@fake.outlook.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.body,
    '',
  ].join('\r\n');
}

function nameOf(address: string): string {
  return address
    .split('@')[0]!
    .split(/[._-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * A mailbox of `total` messages, newest first: each person's messages spread over it (some from them,
 * some to them, a few with them in cc), the rest with other customers.
 */
function buildMailbox(total: number, people: Record<string, number>): FakeMessage[] {
  const wanted = Object.entries(people).flatMap(([address, n]) => Array.from({ length: n }, () => address));
  if (wanted.length > total) throw new Error('more messages for people than in the mailbox');
  const step = wanted.length ? total / wanted.length : 0;
  const owner = new Map(wanted.map((address, i) => [Math.floor(i * step), address]));
  const start = Date.parse('2026-10-31T12:00:00Z');
  return Array.from({ length: total }, (_, i) => {
    const person = owner.get(i) ?? `klant${String(i).padStart(4, '0')}@example.com`;
    const kind = i % 5;
    const incoming = kind !== 1 && kind !== 3;
    return {
      id: `AAMkAGFake${String(i).padStart(6, '0')}${Buffer.from(String(i)).toString('base64url')}=`,
      subject: incoming ? `Vraag over bestelling ${10_000 + i}` : `Re: Vraag over bestelling ${10_000 + i}`,
      from: incoming ? person : GRAPH_FAKE.mailbox,
      to: incoming ? [GRAPH_FAKE.mailbox] : kind === 3 ? ['logistiek@balkonzon.nl'] : [person],
      cc: kind === 3 ? [person] : [],
      receivedDateTime: new Date(start - i * 3_600_000).toISOString(),
      body: incoming ? 'Wanneer wordt mijn bestelling geleverd?' : 'Uw bestelling is onderweg.',
    };
  });
}
