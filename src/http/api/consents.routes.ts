import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BannerBuilder } from '../../consent/cookie-consent.banner.ts';
import { CookieConsentRepository } from '../../consent/cookie-consent.repository.ts';
import { CookieConsentService } from '../../consent/cookie-consent.service.ts';
import { CONSENT_BODY_LIMIT, CookieConsentInput, parseShopOrigins } from '../../consent/cookie-consent.ts';
import type { Branding } from '../../lib/branding.ts';
import type { Clock } from '../../lib/clock.ts';
import { InzageError, notFound } from '../../lib/errors.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { PolicyVersions } from '../../policy/versions.ts';
import type { Store } from '../../store/database.ts';
import { type ApiRegistry, ErrorBody } from './api-route.ts';

export interface ConsentRouteDeps {
  /** The policy in force now: the banner and the category check follow a new version at once. */
  policy: () => Policy;
  /** The hub's base URL: where the banner posts proof. Read per request. */
  baseUrl: string;
  store: Pick<Store, 'db'>;
  clock: Clock;
  /** INZAGE_SHOP_ORIGINS as found in the environment: comma-separated origins allowed to post proof. */
  shopOrigins?: string;
  /**
   * The published versions: a proof names the version whose categories it is checked against. Without
   * them only the version in force is known, and a proof naming any other is refused.
   */
  policyVersions?: Pick<PolicyVersions, 'byLabel'>;
  /** Proofs one client may post a minute (INZAGE_CONSENTS_PER_MINUTE); `CONSENTS_PER_MINUTE` by default. */
  consentsPerMinute?: number;
  /** The shop's colours become the banner's default colours (its custom properties still win). */
  branding?: Branding;
}

/**
 * Per client: generous, because a shop's visitors behind one address (an office, a school, a mobile
 * carrier's NAT) all post from it; low enough that one client cannot fill the proof table.
 */
export const CONSENTS_PER_MINUTE = 600;

const Recorded = z.object({ ok: z.literal(true) }).meta({ id: 'CookieConsentRecorded' });
const ConsentRecord = z
  .object({
    choices: z.record(z.string(), z.boolean()),
    policyVersion: z.string(),
    bannerVersion: z.string().nullable(),
    gpc: z.boolean(),
    ipTruncated: z.string().nullable().meta({ description: 'IPv4 with the last octet zeroed, IPv6 cut to /48' }),
    userAgentFamily: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'CookieConsentRecord' });
const VisitorRecords = z
  .object({ consentId: z.string(), records: z.array(ConsentRecord).meta({ description: 'Newest first' }) })
  .meta({ id: 'CookieConsentRecords' });
const VisitorParams = z.object({ consentId: z.uuid({ error: 'must be a UUID' }) });

const CONSENTS = '/api/v1/consents';
/** Browsers cache a preflight answer this long (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE = '7200';

/**
 * Cookie consent: `POST /api/v1/consents` (proof from the banner), `GET /api/v1/consents/:consentId`
 * (a visitor's own record) and `GET /banner.js`. Shops post from their own origin: CORS allows the
 * origins in INZAGE_SHOP_ORIGINS and the hub's own, without credentials.
 */
export function registerConsentRoutes(app: FastifyInstance, api: ApiRegistry, deps: ConsentRouteDeps): void {
  parseShopOrigins(deps.shopOrigins, deps.baseUrl); // fail fast on a bad INZAGE_SHOP_ORIGINS
  const service = new CookieConsentService({
    consents: new CookieConsentRepository(deps.store.db),
    // Read per proof: a new version in force is checked against at once, as the banner shows it at once.
    policy: () => deps.policy(),
    publishedPolicy: async (label) => (await deps.policyVersions?.byLabel(label))?.policy,
    clock: deps.clock,
  });
  let origins = { hub: '', set: new Set<string>() };
  const allowed = (origin: string) => {
    if (origins.hub !== deps.baseUrl)
      origins = { hub: deps.baseUrl, set: parseShopOrigins(deps.shopOrigins, deps.baseUrl) };
    return origins.set.has(origin);
  };

  registerBannerRoute(app, deps);
  app.register(async (scope) => {
    // Every answer under /api/v1/consents carries CORS, errors too: a refused proof must read as
    // refused (and be dropped by the banner), not as a network failure to retry.
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const origin = request.headers.origin;
      reply.header('vary', 'Origin');
      if (!origin) return;
      if (!allowed(origin)) {
        throw new InzageError('FORBIDDEN', 'This origin may not send consent proof; add it to INZAGE_SHOP_ORIGINS.');
      }
      reply.header('access-control-allow-origin', origin);
    });
    const preflight = (method: string) => async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.headers.origin || request.headers['access-control-request-method'] !== method) {
        throw new InzageError('FORBIDDEN', `Only ${method} is allowed here from another origin.`);
      }
      return reply
        .status(204)
        .header('access-control-allow-methods', method)
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', PREFLIGHT_MAX_AGE)
        .send();
    };
    scope.options(CONSENTS, preflight('POST'));
    scope.options(`${CONSENTS}/:consentId`, preflight('GET'));

    api.add(
      scope,
      {
        method: 'POST',
        url: CONSENTS,
        summary: "Record a visitor's cookie choice as proof (the banner posts it)",
        description:
          'Stored with the time, the IP address truncated (IPv4 /24, IPv6 /48), the browser family and the banner version. Cross-origin only from INZAGE_SHOP_ORIGINS; no cookies.',
        tags: ['consent'],
        body: CookieConsentInput,
        rateLimit: { max: deps.consentsPerMinute ?? CONSENTS_PER_MINUTE, timeWindow: '1 minute' },
        bodyLimit: CONSENT_BODY_LIMIT,
        responses: {
          201: { description: 'Recorded', schema: Recorded },
          400: {
            description:
              'Invalid input, a category the named policy version does not have, or a version never published; `field` names it',
            schema: ErrorBody,
          },
          403: { description: 'The origin is not one of the shop origins', schema: ErrorBody },
          413: { description: `The body is larger than ${CONSENT_BODY_LIMIT} bytes`, schema: ErrorBody },
          429: { description: 'Too many proofs from this client in a minute', schema: ErrorBody },
        },
      },
      async ({ body, request, reply }) => {
        await service.record(body, { ip: request.ip, userAgent: request.headers['user-agent'] });
        return reply.status(201).send({ ok: true });
      },
    );

    api.add(
      scope,
      {
        method: 'GET',
        url: `${CONSENTS}/:consentId`,
        summary: 'A visitor’s own record of cookie choices, newest first',
        description: 'The consent id is random and known only to the visitor’s browser; it is the key.',
        tags: ['consent'],
        params: VisitorParams,
        responses: {
          200: { description: 'The records', schema: VisitorRecords },
          404: { description: 'Nothing recorded under this id', schema: ErrorBody },
        },
      },
      async ({ params, reply }) => {
        const records = await service.forVisitor(params.consentId);
        if (records.length === 0) throw notFound('No cookie choice is recorded under this consent id.');
        reply.header('cache-control', 'no-store');
        return { consentId: params.consentId, records: records.map(({ id: _id, consentId: _c, ...r }) => r) };
      },
    );
  });
}

/** `GET /banner.js`: the banner, built for the policy in force, cached in memory, embeddable anywhere. */
export function registerBannerRoute(
  app: FastifyInstance,
  deps: Pick<ConsentRouteDeps, 'policy' | 'baseUrl' | 'branding'>,
): void {
  const banner = new BannerBuilder();
  app.get('/banner.js', async (request, reply) => {
    const built = await banner.get(deps.policy(), deps.baseUrl, deps.branding);
    const etag = `"${built.version}"`;
    reply
      .header('cache-control', 'public, max-age=300')
      .header('etag', etag)
      // Shops on other origins load it with a plain <script src>: helmet's same-origin default would block it.
      .header('cross-origin-resource-policy', 'cross-origin');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('application/javascript; charset=utf-8').send(built.code);
  });
}
