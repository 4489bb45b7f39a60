import { readFileSync } from 'node:fs';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AdminServices } from '../admin/build.ts';
import type { ApiKeys } from '../apikeys/api-keys.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import type { ContactConsentService } from '../consent/contact-consent.service.ts';
import type { ConsentWithdrawalService } from '../consent/contact-consent-withdrawal.service.ts';
import type { DataMap } from '../datamap/datamap.schema.ts';
import type { Executor } from '../executor/executor.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import { type Branding, defaultBranding } from '../lib/branding.ts';
import type { Clock } from '../lib/clock.ts';
import { InzageError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { RateLimitRepository } from '../limits/rate-limit.repository.ts';
import { registerMetrics } from '../metrics/metrics.ts';
import type { DevMailboxMode } from '../notify/dev-mailbox.ts';
import { registerDevMailboxRoutes } from '../notify/mailbox.routes.tsx';
import type { MailOutbox } from '../notify/outbox.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { RegisterServices } from '../registers/build.ts';
import type { AnalyticsIds } from '../requests/analytics-ids.ts';
import type { HandlingService } from '../requests/handling.service.ts';
import type { IntakeService } from '../requests/intake.service.ts';
import type { OfficerIntake } from '../requests/officer-intake.ts';
import type { RequestRepository } from '../requests/request.repository.ts';
import type { RequestExports } from '../requests/request-exports.ts';
import type { RequestStatusPages } from '../requests/status-page.ts';
import type { ActivityIndex } from '../retention/activity.ts';
import type { RetentionService } from '../retention/retention.service.ts';
import type { ScanService } from '../scan/scan.service.ts';
import type { ShopifyWebhooks } from '../shopify/shopify-webhooks.ts';
import type { Store } from '../store/database.ts';
import { registerAdminAuditRoutes } from './admin/audit.routes.tsx';
import { registerAdminAuthRoutes } from './admin/auth.routes.tsx';
import { registerDeskCustomerRoutes } from './admin/customers.routes.tsx';
import { registerAdminHomeRoutes } from './admin/home.routes.tsx';
import { registerPolicyAdminRoutes } from './admin/policy.routes.tsx';
import { registerPolicyEditorRoutes } from './admin/policy-editor.routes.tsx';
import { registerRegisterRoutes } from './admin/registers.routes.tsx';
import { registerDeskRequestRoutes } from './admin/requests.routes.tsx';
import { ApiRegistry } from './api/api-route.ts';
import { registerConsentRoutes } from './api/consents.routes.ts';
import { registerContactConsentRoutes } from './api/contact-consents.routes.ts';
import { registerEventRoutes } from './api/events.routes.ts';
import { registerHealthRoutes } from './api/health.routes.ts';
import { buildOpenApiDocument } from './api/openapi.ts';
import { registerPolicyApiRoutes } from './api/policy.routes.ts';
import { registerRequestApiRoutes } from './api/requests.routes.ts';
import { registerShopifyWebhookRoutes } from './api/shopify-webhook.routes.ts';
import { installErrorHandlers } from './errors.ts';
import { logoOrigins, registerBrandLogoRoute } from './portal/brand.routes.ts';
import { registerConsentPortalRoutes } from './portal/consent.routes.tsx';
import { registerDemoShopRoutes } from './portal/demo-shop.routes.tsx';
import { registerPolicyPageRoutes } from './portal/policy.routes.tsx';
import { registerPolicyVersionPageRoutes } from './portal/policy-versions.routes.tsx';
import { registerRequestPortalRoutes } from './portal/requests.routes.tsx';
import { databaseRateLimitStore } from './rate-limit-store.ts';

/** What the web layer needs; everything is passed in so that tests can build the app in memory. */
export interface AppDeps {
  /** The policy in force now (a function: a new version can take effect without a restart). */
  policy: () => Policy;
  /** The shop's look (branding.yaml); the policy's name and Inzage's colour when not given. */
  branding?: Branding;
  baseUrl: string;
  store: Store;
  jobs: JobRepository;
  clock: Clock;
  logger: Logger;
  intake: IntakeService;
  /** Requests by e-mail, post, phone or in person, entered by the officer (the desk). */
  officerIntake: OfficerIntake;
  requests: RequestRepository;
  /** Export packages behind download links. */
  exports: RequestExports;
  /** The person's status pages of requests that take days. */
  statusPages?: RequestStatusPages;
  apiKeys: ApiKeys;
  audit: AuditTrail;
  /** The officer's decisions on requests (the desk). */
  handling: HandlingService;
  /** The data map, for the desk's names of systems and collections; absent without one. */
  dataMap?: DataMap;
  /** The engine; absent without a data map (the customer lookup then says so). */
  executor?: Executor;
  /** The retention sweep; absent without a data map. */
  retention?: RetentionService;
  admin: AdminServices;
  /** Disclosures, breaches, policy versions and the change notification. */
  registers: RegisterServices;
  activity: ActivityIndex;
  /** Google Analytics ids the shop reports with its events. */
  analyticsIds: AnalyticsIds;
  contactConsents: ContactConsentService;
  consentWithdrawals: ConsentWithdrawalService;
  outbox: MailOutbox;
  /** Shopify's compliance webhooks (POST /api/v1/webhooks/shopify). */
  shopifyWebhooks: ShopifyWebhooks;
  secret: string;
  /** The dev mailbox: served only without SMTP, on loopback or when INZAGE_DEV_MAILBOX=1 (see dev-mailbox.ts). */
  devMailbox: DevMailboxMode;
  /** Take the client address from X-Forwarded-For (only behind a reverse proxy). */
  trustProxy?: boolean;
  /** Banner proofs one client may post a minute (INZAGE_CONSENTS_PER_MINUTE); 600 by default. */
  consentsPerMinute?: number;
  /** The demo shop's page that misbehaves on purpose, for `inzage scan` (INZAGE_DEMO_PIXEL). */
  demoPixel?: boolean;
  /** The daily cookie scan's latest findings, on the officer's dashboard. */
  scans?: Pick<ScanService, 'latest'>;
  /** INZAGE_METRICS_TOKEN: serves `GET /metrics` to a bearer of it; without one there is no /metrics. */
  metricsToken?: string;
}

const PORTAL_CSS = readFileSync(new URL('./portal/portal.css', import.meta.url), 'utf8');

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: () => newId(),
    bodyLimit: 1024 * 1024,
    // One hop: the reverse proxy in front appends the address it saw; anything left of that the client wrote.
    // (A function: Fastify 5 treats a number of hops as "trust nothing".)
    trustProxy: deps.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
  });
  app.decorate('shopName', deps.policy().controller.name);
  const branding = deps.branding ?? defaultBranding(deps.policy().controller.name);
  app.decorate('branding', branding);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The standalone policy page carries its own small <style>; no inline script anywhere.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', ...logoOrigins(branding)],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    // Links in e-mails carry tokens; no page may leak its address to another site.
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    hsts: deps.baseUrl.startsWith('https://'),
  });
  await app.register(formbody);
  // Limits per client on the routes that ask for it, counted in the hub's database: every server on it
  // shares them. What one address may cost its owner (verification e-mails) is the intake service's.
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore({
      limits: new RateLimitRepository(deps.store.db, deps.clock),
      clock: deps.clock,
      secret: deps.secret,
    }),
    errorResponseBuilder: (_req, ctx) =>
      new InzageError('RATE_LIMITED', `Too many requests from this client; try again in ${ctx.after}.`),
  });
  installErrorHandlers(app);

  const api = new ApiRegistry();
  registerHealthRoutes(app, api, deps);
  registerMetrics(app, { db: deps.store.db, clock: deps.clock, token: deps.metricsToken });
  registerPolicyApiRoutes(app, api, deps);
  registerRequestApiRoutes(app, api, {
    ...deps,
    contactAllowedFor: deps.contactConsents.contactAllowedFor,
    consentsOf: (email) => deps.contactConsents.current(email),
  });
  registerContactConsentRoutes(app, api, deps);
  registerConsentRoutes(app, api, {
    ...deps,
    shopOrigins: process.env.INZAGE_SHOP_ORIGINS,
    policyVersions: deps.registers.policyVersions,
    consentsPerMinute: deps.consentsPerMinute,
    branding,
  });
  registerDemoShopRoutes(app, { pixel: deps.demoPixel });
  registerEventRoutes(app, api, deps);
  registerShopifyWebhookRoutes(app, api, deps);
  registerDevMailboxRoutes(app, api, { outbox: deps.outbox, mode: deps.devMailbox });
  registerPolicyPageRoutes(app, deps);
  registerPolicyVersionPageRoutes(app, deps);
  registerRequestPortalRoutes(app, {
    intake: deps.intake,
    exports: deps.exports,
    policy: deps.policy,
    ...(deps.statusPages ? { statusPages: deps.statusPages } : {}),
  });
  registerConsentPortalRoutes(app, { withdrawals: deps.consentWithdrawals, policy: deps.policy });
  registerAdminAuthRoutes(app, deps);
  registerAdminHomeRoutes(app, deps);
  registerDeskRequestRoutes(app, deps);
  registerDeskCustomerRoutes(app, deps);
  registerAdminAuditRoutes(app, deps);
  registerRegisterRoutes(app, deps);
  registerPolicyAdminRoutes(app, deps);
  registerPolicyEditorRoutes(app, deps);

  registerBrandLogoRoute(app, branding);
  app.get('/assets/portal.css', async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PORTAL_CSS),
  );
  const openApi = () => buildOpenApiDocument(api.routes, { title: 'Inzage API', version: '1' });
  app.get('/api/docs', async () => openApi());
  app.get('/api/docs/openapi.json', async () => openApi());
  return app;
}
