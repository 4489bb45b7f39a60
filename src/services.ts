import { type AdminServices, buildAdmin } from './admin/build.ts';
import type { ScryptCost } from './admin/passwords.ts';
import { retentionApprovedJob } from './admin/retention-approval.ts';
import { ApiKeys } from './apikeys/api-keys.ts';
import { AuditTrail } from './audit/audit-trail.ts';
import type { Config } from './config/config.ts';
import { dataFolderYamlCache } from './config/yaml-cache.ts';
import { buildContactConsent } from './consent/contact-consent.build.ts';
import type { ContactConsentService } from './consent/contact-consent.service.ts';
import type { ConsentWithdrawalService } from './consent/contact-consent-withdrawal.service.ts';
import { loadDataMapIfPresent } from './datamap/configured.ts';
import type { DataMap } from './datamap/datamap.schema.ts';
import { type BuildExecutorOptions, buildExecutor } from './executor/build.ts';
import type { Executor } from './executor/executor.ts';
import { JobRepository } from './jobs/job.repository.ts';
import { wakeupFor } from './jobs/wakeup.ts';
import type { JobDefinition, Schedule } from './jobs/worker.ts';
import type { Branding } from './lib/branding.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import { mailJob } from './notify/mail.job.ts';
import { createMailer, type Mailer } from './notify/mailer.ts';
import { MailOutbox } from './notify/outbox.ts';
import type { Policy } from './policy/policy.schema.ts';
import { buildRegisters, type RegisterServices } from './registers/build.ts';
import { AnalyticsIds, analyticsCategoriesIn, analyticsSystemsIn } from './requests/analytics-ids.ts';
import { dataLabels } from './requests/data-labels.ts';
import { ExportRepository } from './requests/export.repository.ts';
import { HandlingService } from './requests/handling.service.ts';
import { IntakeService, type RequestMail } from './requests/intake.service.ts';
import { OfficerIntake } from './requests/officer-intake.ts';
import type { ProcessorNotices } from './requests/processor-notices.ts';
import { REQUEST_SCHEDULES, requestJobs } from './requests/request.jobs.ts';
import { RequestRepository } from './requests/request.repository.ts';
import { RequestExports } from './requests/request-exports.ts';
import { RequestStatusPages } from './requests/status-page.ts';
import { ActivityIndex } from './retention/activity.ts';
import { HOUSEKEEPING_SCHEDULE, type HousekeepingDeps, hubHousekeepingJob } from './retention/hub-housekeeping.ts';
import { HubRetentionRepository } from './retention/hub-retention.repository.ts';
import { RETENTION_SCHEDULE, retentionJob } from './retention/retention.job.ts';
import { RetentionService } from './retention/retention.service.ts';
import { SealedArchive } from './retention/sealed-archive.ts';
import { SCAN_SCHEDULE, scanJob } from './scan/scan.job.ts';
import { ScanRepository } from './scan/scan.repository.ts';
import { ScanService } from './scan/scan.service.ts';
import { loadScanConfig } from './scan/scan-config.ts';
import { scanShop } from './scan/scan-shop.ts';
import { ShopifyWebhookRepository } from './shopify/shopify-webhook.repository.ts';
import { ShopifyWebhooks, shopifyWebhookJob } from './shopify/shopify-webhooks.ts';
import type { Store } from './store/database.ts';

/** Every service, wired once: the server, the worker and the CLI use the same ones. */
export interface Services {
  config: Config;
  secret: string;
  policy: () => Policy;
  /** The shop's look (branding.yaml): portal, /privacy, e-mails, banner. */
  branding: Branding;
  store: Store;
  clock: Clock;
  jobs: JobRepository;
  requests: RequestRepository;
  /** The export packages, from creation to destruction. */
  exports: RequestExports;
  intake: IntakeService;
  /** Requests by e-mail, post, phone or in person, entered by the officer with the day they arrived. */
  officerIntake: OfficerIntake;
  /** The data map in use, if any (the desk names systems and collections from it). */
  dataMap?: DataMap;
  handling: HandlingService;
  /** The person's status pages of requests that take days. */
  statusPages: RequestStatusPages;
  /** GDPR Art. 19: which processors were told about a request, when, and what they answered. */
  notices: ProcessorNotices;
  apiKeys: ApiKeys;
  /** The hash-chained audit trail. */
  audit: AuditTrail;
  /** Back-office accounts, sessions and login. */
  admin: AdminServices;
  activity: ActivityIndex;
  /** Google Analytics ids the shop reported per person, for erasure through the User Deletion API. */
  analyticsIds: AnalyticsIds;
  contactConsents: ContactConsentService;
  consentWithdrawals: ConsentWithdrawalService;
  outbox: MailOutbox;
  mailer: Mailer;
  executor?: Executor;
  /** The retention sweep; absent without a data map. */
  retention?: RetentionService;
  /** Disclosures and breaches; policy versions and the change notification. */
  registers: RegisterServices;
  /** Shopify's compliance webhooks: verified, stored once, made into requests or tasks by a job. */
  shopifyWebhooks: ShopifyWebhooks;
  /** The daily cookie scan (scan.yaml) and its latest findings. */
  scans: ScanService;
  jobDefinitions: JobDefinition[];
  schedules: Schedule[];
  close(): Promise<void>;
}

export interface BuildOptions {
  /** The data map to use; `null` for none; by default the config folder's datamap.yaml, if there is one. */
  dataMap?: DataMap | null;
  /** For processor APIs: where their secrets are read (default process.env); tests add fetch, sleep, factories. */
  executor?: Pick<BuildExecutorOptions, 'env' | 'apis' | 'processorApis'>;
  /** scrypt's parameters for back-office passwords; SCRYPT unless a test asks for less. */
  passwordCost?: ScryptCost;
}

export function buildServices(
  config: Config,
  store: Store,
  clock: Clock,
  logger: Logger,
  options: BuildOptions = {},
): Services {
  const policy = () => config.policy;
  const dataMap = options.dataMap === undefined ? loadDataMapIfPresent(config) : (options.dataMap ?? undefined);
  const executor = dataMap
    ? buildExecutor({
        dataMap,
        policy: config.policy,
        hub: store.db,
        durably: (fn) => store.durably(fn),
        syncedTransaction: store.syncedTransaction,
        secret: config.secret,
        clock,
        ...options.executor,
        apis: { logger, ...options.executor?.apis },
      })
    : undefined;
  // An api system without its secrets is handled by hand: say so at start (env var names only).
  for (const warning of executor?.warnings ?? []) logger.warn(warning);
  // A job queued now wakes the worker at once: in this process, or on PostgreSQL wherever it runs.
  const jobs = new JobRepository(store.db, store.dialect, clock, wakeupFor(store));
  const outbox = new MailOutbox({
    db: store.db,
    jobs,
    dialect: store.dialect,
    secret: config.secret,
    clock,
    from: config.mailFrom,
    ctx: () => ({
      shopName: config.policy.controller.name,
      privacyEmail: config.policy.controller.privacyContact.email,
      baseUrl: config.baseUrl,
      complaintAuthority: config.policy.rights.complaintAuthority,
      branding: config.branding,
    }),
  });
  const mailer = createMailer(config.smtpUrl);
  const requests = new RequestRepository(store.db, clock);
  const activity = new ActivityIndex(store.db, clock);
  const analyticsIds = new AnalyticsIds({ db: store.db, secret: config.secret, clock });
  const { audit, admin } = buildAccounts(config, store, clock, { passwordCost: options.passwordCost });
  const deps = {
    requests,
    activity,
    jobs,
    mail: outbox as unknown as RequestMail,
    clock,
    policy,
    secret: config.secret,
    baseUrl: config.baseUrl,
    holidays: config.holidays,
  };
  const intake = new IntakeService(deps);
  const { contactConsents, consentWithdrawals } = buildContactConsent({
    db: store.db,
    clock,
    policy,
    secret: config.secret,
    outbox,
    baseUrl: config.baseUrl,
  });
  const exports = new RequestExports({
    exports: new ExportRepository(store.db, clock),
    requests,
    clock,
    secret: config.secret,
    baseUrl: config.baseUrl,
  });
  const archive = new SealedArchive(store.db, config.secret, clock, (fn) => store.durably(fn), store.syncedTransaction);
  const handling = new HandlingService({
    ...deps,
    executor,
    exports,
    archive,
    consentHistoryFor: contactConsents.consentHistoryFor,
    labels: dataLabels(dataMap),
    recordMarketingObjection: (db, email, purposes) => contactConsents.recordObjection(db, email, purposes),
    analyticsIds,
    analyticsSystems: analyticsSystemsIn(dataMap),
    audit,
  });
  const housekeeping: HousekeepingDeps = {
    hub: new HubRetentionRepository(store.db),
    clock,
    destroyExport: (id, why) => exports.destroy(store.db, { ids: [id] }, why),
  };
  const retention = executor
    ? new RetentionService({
        executor,
        archive,
        requests,
        policy,
        clock,
        secret: config.secret,
        mail: outbox,
        contactAllowed: contactConsents.contactAllowedFor,
        audit,
        hub: store,
        analyticsCategories: analyticsCategoriesIn(dataMap, config.policy),
        housekeeping,
        exports,
      })
    : undefined;
  const registers = buildRegisters({
    db: store.db,
    clock,
    jobs,
    outbox,
    policy,
    secret: config.secret,
    executor,
    audit,
    notifyPerMinute: config.notifyPerMinute,
    policyFile: config.policyFile,
  });
  const shopifyWebhooks = new ShopifyWebhooks({
    webhooks: new ShopifyWebhookRepository(store.db, clock),
    requests,
    intake,
    jobs,
    clock,
    secret: config.secret,
    apiSecret: config.shopifyApiSecret,
  });
  const scanConfig = loadScanConfig(config.configDir, dataFolderYamlCache(config.dataDir, config.secret));
  const scans = new ScanService({
    db: store.db,
    scans: new ScanRepository(store.db),
    scan: () =>
      scanShop({
        urls: [],
        policy: config.policy,
        config: scanConfig,
        baseUrl: config.baseUrl,
        shopOrigins: process.env.INZAGE_SHOP_ORIGINS,
        chromium: config.chromium,
      }),
    mail: outbox,
    clock,
    officerEmail: () => config.policy.controller.privacyContact.email,
    adminUrl: `${config.baseUrl}/admin`,
  });
  return {
    config,
    secret: config.secret,
    policy,
    branding: config.branding,
    store,
    clock,
    jobs,
    requests,
    exports,
    statusPages: new RequestStatusPages({ requests, baseUrl: config.baseUrl, now: () => clock.now() }),
    intake,
    officerIntake: new OfficerIntake({ ...deps, audit }),
    dataMap,
    handling,
    notices: handling.notices,
    apiKeys: new ApiKeys(store.db, clock),
    audit,
    admin,
    activity,
    analyticsIds,
    contactConsents,
    consentWithdrawals,
    outbox,
    mailer,
    executor,
    retention,
    registers,
    shopifyWebhooks,
    scans,
    jobDefinitions: [
      shopifyWebhookJob(shopifyWebhooks),
      mailJob({ outbox, mailer, logger }),
      ...registers.jobDefinitions,
      ...requestJobs({ ...deps, intake, handling, exports }),
      ...(retention ? [retentionJob(retention), retentionApprovedJob(retention)] : []),
      hubHousekeepingJob(housekeeping),
      scanJob(scans),
    ],
    schedules: [
      ...REQUEST_SCHEDULES,
      ...(retention ? [RETENTION_SCHEDULE] : []),
      HOUSEKEEPING_SCHEDULE,
      ...(scanConfig.daily ? [SCAN_SCHEDULE] : []),
    ],
    close: async () => {
      await jobs.wakeup?.close();
      await executor?.close();
      await mailer.close();
    },
  };
}

/** The back office's accounts and the audit trail: all that needs only the hub's store. */
export function buildAccounts(
  config: Pick<Config, 'secret' | 'baseUrl' | 'policy'>,
  store: Store,
  clock: Clock,
  options: { passwordCost?: ScryptCost } = {},
): { audit: AuditTrail; admin: AdminServices } {
  const audit = new AuditTrail({ db: store.db, clock, dialect: store.dialect });
  const admin = buildAdmin({
    db: store.db,
    clock,
    secret: config.secret,
    baseUrl: config.baseUrl,
    audit,
    issuer: () => config.policy.controller.name,
    passwordCost: options.passwordCost,
  });
  return { audit, admin };
}
