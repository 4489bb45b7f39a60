/**
 * Tables of the hub's own store. Times are ISO 8601 UTC text on both dialects:
 * one representation means one code path, and fixed-width ISO text sorts as time does.
 */
export interface JobTable {
  id: string;
  name: string;
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: string;
  updated_at: string;
}

/** /healthz's write test: a row written and deleted in one transaction (it never stays). */
export interface StoreProbeTable {
  id: string;
  written_at: string;
  filler: string;
}

export interface WorkerTable {
  id: string;
  started_at: string;
  heartbeat_at: string;
  pid: number;
  host: string;
  /** The pid namespace (src/lib/process-identity.ts); null when unknown: then only the heartbeat counts. */
  pid_ns: string | null;
}

export interface ArchiveKeyTable {
  id: string;
  /** A keyed HMAC of the person's normalised e-mail: finds their records without naming them. */
  subject_ref: string;
  wrapped_key: string;
  created_at: string;
}

export interface SealedRecordTable {
  id: string;
  key_id: string;
  system: string;
  collection: string;
  record_key: string;
  hold: string;
  hold_until: string;
  sealed_at: string;
  ciphertext: string;
}

export interface Database
  extends RequestTables,
    MailTables,
    CookieConsentTables,
    ContactConsentTables,
    AdminTables,
    AuditTables,
    RegisterTables,
    PolicyVersionTables,
    LimitTables,
    ScanTables {
  jobs: JobTable;
  workers: WorkerTable;
  store_probe: StoreProbeTable;
  archive_keys: ArchiveKeyTable;
  sealed_records: SealedRecordTable;
  hub_keys: HubKeyTable;
}

/** A key that outlives a change of INZAGE_SECRET, wrapped under the secret (migration 0095-hub-keys). */
export interface HubKeyTable {
  /** The purpose it keys (`requests/subject-ref`, …), or `rotation` while a rotation is unfinished. */
  purpose: string;
  /** AES-256-GCM of the key under a key derived from the secret (aad = `hub-key:<purpose>`). */
  wrapped: string;
  created_at: string;
}

export interface RequestTable {
  id: string;
  type: string;
  status: string;
  language: string;
  email: string | null;
  subject_ref: string | null;
  name: string | null;
  message: string | null;
  /** JSON: what the right needs (corrections, objection, delivery). Cleared with the identity. */
  details: string | null;
  received_at: string;
  verified_at: string | null;
  due_at: string;
  legal_due_at: string;
  extended_at: string | null;
  completed_at: string | null;
  outcome: string | null;
  /** JSON without identity: systems and processors involved, counts. */
  result: string | null;
  /** How it reached the shop outside the portal and API: email, post, phone, in-person, shop; null online. */
  channel: string | null;
  updated_at: string;
}

export interface RequestEventTable {
  id: string;
  request_id: string;
  at: string;
  event: string;
  detail: string | null;
}

export interface RequestTokenTable {
  hash: string;
  request_id: string;
  purpose: string;
  expires_at: string;
  uses: number;
  max_uses: number;
  created_at: string;
  /** The export part a download link opens; null: the request's first part. */
  export_id: string | null;
}

export interface RequestExportTable {
  id: string;
  request_id: string;
  /** 1: the package made when the request was handled; 2, 3, …: a processor's part, added later. */
  part: number;
  /** Whom a later part is from, in words; null for the first. */
  source: string | null;
  file_name: string;
  ciphertext: string | null;
  created_at: string;
  expires_at: string;
  downloads: number;
  max_downloads: number;
  destroyed_at: string | null;
}

export interface TaskTable {
  id: string;
  request_id: string;
  system: string;
  processor: string;
  action: string;
  contact: string;
  instructions: string;
  due_at: string;
  status: 'open' | 'done';
  created_at: string;
  done_at: string | null;
  note: string | null;
}

export interface SubjectFlagTable {
  subject_ref: string;
  restricted: number;
  objection: number;
  request_id: string | null;
  updated_at: string;
  /** JSON array of purpose ids under an objection not yet decided. */
  objected: string | null;
  /** JSON array of purpose ids whose processing stopped for good after an objection. */
  stopped: string | null;
  /** When the last announced lift ends the restriction (Art. 18(3): after the person was told). */
  lifts_at: string | null;
  /** JSON `[{request, ground: 'restriction' | 'objection', liftsAt?}]`: what restricts the person, per request. */
  holds: string | null;
}

/** What an erasure is about to do in one database, written before it does it (see migration 0018). */
export interface ErasureJournalTable {
  request_id: string;
  system: string;
  /** JSON: per collection, the rows' keys, the sealed ones, and the hold's end and reason. */
  collections: string;
  written_at: string;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SubjectActivityTable {
  subject_ref: string;
  last_at: string;
  last_type: string;
  updated_at: string;
}

export interface RetentionRunTable {
  id: string;
  /** `plan` (waiting for the officer, in approve mode) or `run`. */
  kind: 'plan' | 'run';
  status: 'waiting' | 'done' | 'superseded';
  at: string;
  summary: string;
  created_at: string;
}

/** A retention run in progress (migration 0029-retention-journal): counts, never people; deleted when it is recorded. */
export interface RetentionJournalTable {
  id: string;
  /** The moment the run judges by (its `--at`). */
  at: string;
  actor: string;
  /** JSON: which parts of the retention the run does (`{ sweep }`). */
  options: string;
  /** JSON: the plan's counts as the run began. */
  plan: string;
  /** JSON: per step (rule and executor), what it counted just before it acted. */
  steps: string;
  status: 'running' | 'done';
  /** `host:pid` of the process running it ('' once released): a run whose process is gone is resumed by the next. */
  owner: string;
  /** The owner's pid namespace (migration 0090); null when unknown: then only its heartbeat tells. */
  owner_pid_ns: string | null;
  heartbeat_at: string;
  started_at: string;
  finished_at: string | null;
}

/** One batch of a run's sweep (migration 0029-retention-journal). */
export interface RetentionJournalBatchTable {
  run_id: string;
  seq: number;
  /** `intent`: written before the shop's commit; `done`: recorded in the hub. */
  status: 'intent' | 'done';
  /** AES-256-GCM of the batch's addresses (aad = run and seq); emptied when the batch is done. */
  people: string | null;
  count: number;
  /** JSON: per system, what its erasure did (status and counts per collection), told before it committed. */
  systems: string;
  updated_at: string;
}

export interface RetentionReminderTable {
  subject_ref: string;
  sent_at: string;
}

/** GDPR Art. 19: one processor told about one request (migration 0013-processor-notices). */
export interface ProcessorNoticeTable {
  id: string;
  request_id: string;
  system: string;
  processor: string;
  action: 'access' | 'erase' | 'rectify' | 'restrict';
  status: 'done' | 'retained' | 'nothing-found' | 'failed' | 'manual';
  /** What the processor answered, in plain words without personal data. */
  answer: string;
  /** HTTP requests it took. */
  requests: number;
  at: string;
}

/** A Google Analytics id the shop reported for a person (migration 0015-analytics-ids). */
export interface AnalyticsIdTable {
  subject_ref: string;
  /** Keyed HMAC of `kind:value`: one row per id and person, however often it is reported. */
  id_hash: string;
  kind: 'clientId' | 'userId';
  /** AES-256-GCM of the id (aad = subject_ref and id_hash). */
  ciphertext: string;
  first_seen_at: string;
  last_seen_at: string;
}

/** A Shopify compliance webhook delivered (migration 0040-shopify-webhooks): handled once per delivery id. */
export interface ShopifyWebhookTable {
  /** X-Shopify-Webhook-Id. */
  webhook_id: string;
  topic: string;
  shop_domain: string;
  received_at: string;
  /** When its request or task was made; null while the job has yet to run. */
  handled_at: string | null;
  /** AES-256-GCM of the body (it names the customer), until handled; then null. */
  payload: string | null;
}

export interface RequestTables {
  shopify_webhooks: ShopifyWebhookTable;
  analytics_ids: AnalyticsIdTable;
  processor_notices: ProcessorNoticeTable;
  subject_activity: SubjectActivityTable;
  retention_reminders: RetentionReminderTable;
  retention_runs: RetentionRunTable;
  retention_journal: RetentionJournalTable;
  retention_journal_batches: RetentionJournalBatchTable;
  requests: RequestTable;
  request_events: RequestEventTable;
  request_tokens: RequestTokenTable;
  request_exports: RequestExportTable;
  tasks: TaskTable;
  subject_flags: SubjectFlagTable;
  erasure_journal: ErasureJournalTable;
  api_keys: ApiKeyTable;
}

export interface MailOutboxTable {
  id: string;
  request_id: string | null;
  /** The template's name; metadata only. */
  template: string;
  dedupe_key: string | null;
  /**
   * AES-256-GCM (aad = id) of JSON `{to, subject, text, html, links}`; '' once sent over SMTP,
   * so that no address or text outlives its delivery.
   */
  envelope: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
  /** When a worker began handing it to the SMTP server; cleared when the server refused it. */
  handed_over_at: string | null;
}

/** The notify capability's tables (its migration is 0004-mail-outbox). */
export interface MailTables {
  mail_outbox: MailOutboxTable;
}

export interface CookieConsentTable {
  id: string;
  /** The visitor's random id, kept by the banner; the same across their later choices. */
  consent_id: string;
  /** JSON: category id → consent given, keys sorted. */
  choices: string;
  policy_version: string;
  banner_version: string | null;
  /** 1 when the choice followed Global Privacy Control. */
  gpc: number;
  /** IPv4 with the last octet zeroed, IPv6 cut to /48. */
  ip_truncated: string | null;
  /** Browser family only (chrome, firefox, …), never the user agent string. */
  ua_family: string | null;
  created_at: string;
}

/** The cookie banner's proof of consent (migration 0005-cookie-consents). */
export interface CookieConsentTables {
  cookie_consents: CookieConsentTable;
}

/** One choice about contact: append-only; a withdrawal is a new row with `granted` 0. */
export interface ContactConsentTable {
  id: string;
  /** The same keyed HMAC of the normalised address as requests use: an erasure finds the rows by it. */
  subject_ref: string;
  /** A purpose id from the policy whose legal basis is consent. */
  purpose: string;
  granted: number;
  /** The exact text shown to the person. */
  text: string;
  text_version: string | null;
  /** Where the choice was made: `checkout`, `account`, `portal`. */
  source: string;
  /** When the person chose. */
  at: string;
  recorded_at: string;
}

/** A withdrawal link in an e-mail: single use, 48 hours; deleted when used or expired. */
export interface ConsentTokenTable {
  /** SHA-256 of the token; the token itself is only in the e-mail. */
  hash: string;
  subject_ref: string;
  /** AES-256-GCM of the address (aad = hash): needed to record the withdrawal and mail the answer. */
  email: string;
  /** JSON array of purpose ids to withdraw. */
  purposes: string;
  language: string;
  expires_at: string;
  created_at: string;
}

/** Contact consent with proof (migration 0006-contact-consents). */
export interface ContactConsentTables {
  contact_consents: ContactConsentTable;
  consent_tokens: ConsentTokenTable;
}

/** A back-office account (migration 0009-admin-users). */
export interface AdminUserTable {
  id: string;
  email: string;
  role: 'officer' | 'staff';
  /** `scrypt$N$r$p$salt$hash`; null until the setup link is used. */
  password_hash: string | null;
  /** AES-256-GCM of the TOTP secret (aad = id); null without a second factor. */
  totp_secret: string | null;
  totp_last_step: number | null;
  disabled_at: string | null;
  /** The back office's language for this account (migration 0075); null: Dutch, the default. */
  language: 'nl' | 'en' | null;
  created_at: string;
  updated_at: string;
}

export interface AdminSetupTokenTable {
  hash: string;
  user_id: string;
  /** AES-256-GCM of the TOTP secret offered on the setup page (aad = token hash). */
  totp_secret: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface AdminSessionTable {
  /** SHA-256 of the cookie's token. */
  hash: string;
  user_id: string;
  /** `totp`: password given, second factor pending; `active`: logged in. */
  stage: 'totp' | 'active';
  created_at: string;
  last_seen_at: string;
  /** The absolute end, whatever the activity. */
  expires_at: string;
}

export interface AdminLoginThrottleTable {
  /** `account:<hmac>`, `client:<hmac>` or `device:<hmac>` (a device cookie): none names anyone. */
  key: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
}

export interface AdminTables {
  admin_users: AdminUserTable;
  admin_setup_tokens: AdminSetupTokenTable;
  admin_sessions: AdminSessionTable;
  admin_login_throttle: AdminLoginThrottleTable;
}

/** One entry of the hash-chained audit trail (migration 0010-audit-log). */
/** The only link from a person's keyed reference to the pseudonym their audit entries carry. */
export interface AuditPseudonymTable {
  subject_ref: string;
  pseudonym: string;
  created_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  /** The keyed HMAC of the person's address, never the address. */
  subject_ref: string | null;
  /** Canonical JSON: ids, counts, reasons. */
  details: string | null;
  prev_hash: string;
  hash: string;
}

/** The chain's single head row (id 1). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_pseudonyms: AuditPseudonymTable;
}

/** A disclosure to an authority (migration 0011-registers). No address in clear: a request or a keyed reference. */
export interface DisclosureTable {
  id: string;
  /** YYYY-MM-DD. */
  disclosed_on: string;
  authority: string;
  legal_basis: string;
  /** What was handed over. */
  disclosed: string;
  /** About whom, in words (no e-mail address). */
  about: string;
  request_id: string | null;
  /** The same keyed HMAC of the normalised address as requests use. */
  subject_ref: string | null;
  resisted: number;
  resistance: string | null;
  outcome: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A personal data breach, GDPR Art. 33(5) (migration 0011-registers). */
export interface BreachTable {
  id: string;
  discovered_at: string;
  summary: string;
  description: string;
  /** JSON array of the policy's category ids. */
  categories: string;
  people_count: number | null;
  records_count: number | null;
  consequences: string;
  measures: string;
  authority_notified_at: string | null;
  authority_reference: string | null;
  /** Why the Autoriteit Persoonsgegevens was not told (Art. 33(1): unlikely to result in a risk). */
  authority_reason: string | null;
  subjects_notified_at: string | null;
  subjects_how: string | null;
  /** Why the people were not told (Art. 34(3)). */
  subjects_reason: string | null;
  status: 'open' | 'closed';
  closed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface RegisterTables {
  disclosures: DisclosureTable;
  breaches: BreachTable;
}

/** A published policy (migration 0012-policy-versions). */
export interface PolicyVersionTable {
  id: string;
  number: number;
  /** The policy's own `version` label. */
  label: string;
  /** The policy file as published. */
  yaml: string;
  /** The parsed policy, JSON. */
  policy: string;
  /** SHA-256 of the parsed policy without its label and date: "nothing changed" is this being equal. */
  content_hash: string;
  published_at: string;
  published_by: string | null;
  effective_at: string;
  /** The next version's effective date. */
  superseded_at: string | null;
  /** JSON PolicyDiff against the version before; null for the first. */
  diff: string | null;
  material: number;
  notify_status: 'none' | 'queued' | 'sending' | 'done';
  notify_affected: number;
  notify_queued: number;
  notify_sent: number;
  notify_started_at: string | null;
  notify_finished_at: string | null;
}

export interface PolicyVersionTables {
  policy_versions: PolicyVersionTable;
}

/** A per-client rate limit shared by every server (migration 0025-rate-limits). */
export interface RateLimitTable {
  /** `<route or group>:<keyed HMAC of the client address>`. */
  key: string;
  hits: number;
  resets_at: string;
}

/** The intake lock of one address, and the verification e-mails it got lately (migration 0024-verification-mails). */
export interface VerificationMailTable {
  subject_ref: string;
  /** JSON array of `{ at, request }`: when each verification e-mail went (or goes) out, for which request. */
  sends: string;
  updated_at: string;
}

export interface LimitTables {
  rate_limits: RateLimitTable;
  verification_mails: VerificationMailTable;
}

/** One run of the daily cookie scan (migration 0060-scan-runs). */
export interface ScanRunTable {
  id: string;
  started_at: string;
  finished_at: string;
  status: 'done' | 'failed';
  pages: number;
  errors: number;
  warnings: number;
  /** JSON `{pages, findings, incomplete?, seconds}`: names of cookies and hosts, never a visitor's data. */
  report: string | null;
  /** Why a run saw nothing (no browser, no page loaded). */
  failure: string | null;
}

/** An error finding the officer was mailed about: `kind|name|host|pass`, mailed once. */
export interface ScanErrorMailedTable {
  key: string;
  run_id: string;
  mailed_at: string;
}

export interface ScanTables {
  scan_runs: ScanRunTable;
  scan_errors_mailed: ScanErrorMailedTable;
}
