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

export interface WorkerTable {
  id: string;
  started_at: string;
  heartbeat_at: string;
  pid: number;
  host: string;
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

export interface Database extends RequestTables, MailTables, CookieConsentTables, ContactConsentTables {
  jobs: JobTable;
  workers: WorkerTable;
  archive_keys: ArchiveKeyTable;
  sealed_records: SealedRecordTable;
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
}

export interface RequestExportTable {
  request_id: string;
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

export interface RetentionReminderTable {
  subject_ref: string;
  sent_at: string;
}

export interface RequestTables {
  subject_activity: SubjectActivityTable;
  retention_reminders: RetentionReminderTable;
  retention_runs: RetentionRunTable;
  requests: RequestTable;
  request_events: RequestEventTable;
  request_tokens: RequestTokenTable;
  request_exports: RequestExportTable;
  tasks: TaskTable;
  subject_flags: SubjectFlagTable;
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
