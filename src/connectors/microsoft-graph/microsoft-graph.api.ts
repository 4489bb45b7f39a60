import { z } from 'zod';
import type { ApiErasure, ProcessorApi, ProcessorApiCheck, ProcessorApiContext } from '../api/processor-api.ts';
import type { CollectionFindings, EraseOptions, FoundRecord, SubjectIdentity } from '../connector.ts';
import { normalizeEmail } from '../connector.ts';
import { ProcessorError } from '../http/http-client.ts';
import { collect, explainFailure, parseAnswer, sameEmail, withProgress } from '../processor-helpers.ts';
import { type GraphAppCredentials, graphTokens } from './graph-token.ts';
import { appCredentials, DEFAULT_URL, GraphOptions, loginUrlFor, signIns } from './microsoft-graph.factory.ts';

/**
 * Microsoft 365 mail through Microsoft Graph: the messages in one shared mailbox (the shop's
 * customer-service box) that have the person as a participant. Access gives their metadata and,
 * by default, the message itself as `.eml` text; erasure deletes them with `permanentDelete`
 * (not to Deleted Items: gone for the mailbox user too). The app signs in with its own identity
 * (client credentials) and needs the application permission Mail.ReadWrite on the mailbox.
 */

/** Graph returns at most this many results for a `$search` on messages. */
export const GRAPH_SEARCH_LIMIT = 1000;
/** Graph allows four concurrent requests per mailbox; more only earn 429s. */
const MAILBOX_CONCURRENCY = 4;
const SELECT = 'id,subject,from,sender,toRecipients,ccRecipients,bccRecipients,replyTo,receivedDateTime,sentDateTime';
const CATEGORIES = {
  from: 'contact',
  to: 'contact',
  cc: 'contact',
  bcc: 'contact',
  subject: 'correspondence',
  received_at: 'correspondence',
  sent_at: 'correspondence',
  eml: 'correspondence',
} as const;

const Recipient = z.looseObject({
  emailAddress: z.looseObject({ address: z.string().nullish(), name: z.string().nullish() }).nullish(),
});
type Recipient = z.output<typeof Recipient>;
const Recipients = z.array(Recipient).nullish();
const GraphMessage = z.looseObject({
  id: z.string().min(1),
  subject: z.string().nullish(),
  from: Recipient.nullish(),
  sender: Recipient.nullish(),
  toRecipients: Recipients,
  ccRecipients: Recipients,
  bccRecipients: Recipients,
  replyTo: Recipients,
  receivedDateTime: z.string().nullish(),
  sentDateTime: z.string().nullish(),
});
type GraphMessage = z.output<typeof GraphMessage>;
const MessagePage = z.looseObject({
  value: z.array(GraphMessage),
  '@odata.nextLink': z.string().optional(),
});
type MessagePage = z.output<typeof MessagePage>;

export class GraphMailbox implements ProcessorApi {
  // What this code does; registry.test.ts holds it to the description in microsoft-graph.factory.ts.
  readonly capabilities = { access: true, erase: true, rectify: false, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #options: GraphOptions;
  readonly #app: GraphAppCredentials;
  readonly #fetch: typeof fetch;
  readonly #base: string;

  constructor(ctx: ProcessorApiContext) {
    this.#ctx = ctx;
    this.#options = GraphOptions.parse(ctx.options);
    const signIn = signIns.get(ctx.credentials);
    this.#app = signIn?.app ?? appCredentials(ctx.credentials, loginUrlFor(DEFAULT_URL, this.#options.loginUrl));
    this.#fetch = signIn?.fetch ?? globalThis.fetch;
    this.#base = `v1.0/users/${encodeURIComponent(this.#options.mailbox)}/messages`;
  }

  async find(subject: SubjectIdentity): Promise<CollectionFindings[]> {
    const messages = await this.#messagesOf(subject.email);
    const records = await inPool(messages, MAILBOX_CONCURRENCY, (m) => this.#record(m));
    return [{ system: this.#ctx.system, collection: 'messages', records }];
  }

  async erase(subject: SubjectIdentity, _options: EraseOptions): Promise<ApiErasure> {
    const messages = await this.#messagesOf(subject.email);
    const n = messages.length;
    let gone = 0;
    let done = 0;
    try {
      await inPool(messages, MAILBOX_CONCURRENCY, async (m) => {
        const res = await this.#ctx.http.request({
          method: 'POST',
          path: `${this.#base}/${encodeURIComponent(m.id)}/permanentDelete`,
          // Already gone (deleted by hand meanwhile, or by an earlier attempt of this erasure): the goal is met.
          okStatuses: [404],
        });
        if (res.status === 404) gone++;
        done++;
      });
    } catch (err) {
      throw withProgress(err, `after ${done} of ${n} messages were permanently deleted`);
    }
    return {
      answer:
        n === 0
          ? 'no messages with this person in the mailbox'
          : `permanently deleted ${n} message${n === 1 ? '' : 's'} from the mailbox${gone ? ` (${gone} already gone)` : ''}`,
      collections: [
        {
          system: this.#ctx.system,
          collection: 'messages',
          found: n,
          deleted: n,
          anonymised: 0,
          sealed: 0,
          keptFields: [],
        },
      ],
    };
  }

  async test(): Promise<{ ok: boolean; checks: ProcessorApiCheck[] }> {
    const checks: ProcessorApiCheck[] = [];
    let roles: string[] | undefined;
    try {
      roles = (await this.#token()).roles;
      checks.push({ name: 'credentials', ok: true, message: 'the app got a token for Microsoft Graph' });
    } catch (err) {
      // The token endpoint's own refusal (invalid_client, invalid_tenant…) says more than a generic line.
      const message = err instanceof ProcessorError ? err.message : explainFailure(err);
      checks.push({ name: 'credentials', ok: false, message });
      return { ok: false, checks };
    }
    try {
      await this.#ctx.http.request({ method: 'GET', path: this.#base, query: { $top: 1, $select: 'id' } });
      checks.push({ name: 'mailbox', ok: true, message: 'the mailbox answers' });
    } catch (err) {
      const missing = err instanceof ProcessorError && err.status === 404;
      checks.push({
        name: 'mailbox',
        ok: false,
        message: missing ? 'no such mailbox (HTTP 404)' : explainFailure(err),
      });
    }
    checks.push(permissionCheck(roles));
    return { ok: checks.every((c) => c.ok), checks };
  }

  /** The token comes first, outside the HTTP client (see `signIns`). */
  async #token() {
    return graphTokens.get(this.#app, this.#fetch, this.#ctx.clock, this.#ctx.system);
  }

  /**
   * Refused credentials stop here; a token endpoint that is busy or down is left to the HTTP client,
   * which asks for the token again on each of its attempts, with backoff.
   */
  async #signIn(): Promise<void> {
    try {
      await this.#token();
    } catch (err) {
      if (!(err instanceof ProcessorError) || err.kind === 'auth') throw err;
    }
  }

  /** Every message in the mailbox with this address as sender or recipient, matched exactly. */
  async #messagesOf(email: string): Promise<GraphMessage[]> {
    await this.#signIn();
    const address = normalizeEmail(email);
    try {
      if (this.#options.lookup === 'search') {
        const found = await this.#list({ $search: `"participants:${address.replace(/"/g, '')}"` });
        // Search is capped; at the cap there may be more, so the mailbox is read in full.
        if (found.length < GRAPH_SEARCH_LIMIT) return found.filter((m) => involves(m, address));
      }
      return (await this.#list({})).filter((m) => involves(m, address));
    } catch (err) {
      // A refused token (revoked, permissions changed) is fetched anew next time.
      if (err instanceof ProcessorError && err.kind === 'auth') graphTokens.drop(this.#app);
      throw err;
    }
  }

  async #list(query: Record<string, string>): Promise<GraphMessage[]> {
    const first = {
      method: 'GET' as const,
      path: this.#base,
      query: { ...query, $top: this.#options.pageSize, $select: SELECT },
    };
    const system = this.#ctx.system;
    const pages = this.#ctx.http.paginate<unknown, GraphMessage>(
      first,
      (page) => parseAnswer(system, MessagePage, page, 'list messages').value,
      (page) => {
        const next = (page as MessagePage)['@odata.nextLink'];
        return next ? { method: 'GET', path: next } : undefined;
      },
    );
    return collect(pages);
  }

  async #record(m: GraphMessage): Promise<FoundRecord> {
    const data: FoundRecord['data'] = {
      subject: m.subject ?? null,
      from: addresses([m.from]),
      to: addresses(m.toRecipients),
      cc: addresses(m.ccRecipients),
      bcc: addresses(m.bccRecipients),
      received_at: m.receivedDateTime ?? null,
      sent_at: m.sentDateTime ?? null,
    };
    if (this.#options.includeEml) {
      // Graph's message has no size to ask for beforehand; the download stops where the limit is passed.
      const res = await this.#ctx.http.request<Uint8Array>({
        method: 'GET',
        path: `${this.#base}/${encodeURIComponent(m.id)}/$value`,
        headers: { accept: '*/*' },
        raw: true,
        maxBytes: this.#options.maxEmlBytes,
      });
      if (res.tooLarge) {
        const declared = Number(res.headers.get('content-length') ?? Number.NaN);
        data.eml_bytes = Number.isFinite(declared) ? declared : null;
        data.eml = `[larger than ${this.#options.maxEmlBytes} bytes; ask the mail administrator for this message]`;
      } else {
        data.eml_bytes = res.body.byteLength;
        data.eml = new TextDecoder().decode(res.body);
      }
    }
    return { system: this.#ctx.system, collection: 'messages', key: m.id, data, categories: CATEGORIES };
  }
}

/** Does the message have this (normalised) address as sender or recipient? $search also matches look-alikes. */
export function involves(m: GraphMessage, address: string): boolean {
  const people = [m.from, m.sender, ...(m.toRecipients ?? []), ...(m.ccRecipients ?? [])];
  people.push(...(m.bccRecipients ?? []), ...(m.replyTo ?? []));
  return people.some((p) => sameEmail(p?.emailAddress?.address, address));
}

function addresses(list: ReadonlyArray<Recipient | null | undefined> | null | undefined): string | null {
  const shown = (list ?? [])
    .map((r) => r?.emailAddress)
    .filter((e) => e?.address)
    .map((e) => (e?.name && e.name !== e.address ? `${e.name} <${e.address}>` : String(e?.address)));
  return shown.length ? shown.join(', ') : null;
}

function permissionCheck(roles: string[] | undefined): ProcessorApiCheck {
  if (roles === undefined)
    return {
      name: 'permissions',
      ok: true,
      message: "the token's permissions cannot be read; erasure needs Mail.ReadWrite",
    };
  if (roles.includes('Mail.ReadWrite'))
    return { name: 'permissions', ok: true, message: 'Mail.ReadWrite: messages can be read and deleted' };
  if (roles.includes('Mail.Read'))
    return { name: 'permissions', ok: false, message: 'only Mail.Read: access works, erasure needs Mail.ReadWrite' };
  return { name: 'permissions', ok: false, message: 'the app lacks Mail.ReadWrite (application permission)' };
}

/**
 * Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. At the first
 * failure no new item is started (an erasure that failed must not go on deleting); the ones under way
 * finish, then the first error is thrown.
 */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await work(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

/** The implementation microsoft-graph.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new GraphMailbox(ctx);
