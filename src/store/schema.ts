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

export interface Database {
  jobs: JobTable;
  workers: WorkerTable;
  archive_keys: ArchiveKeyTable;
  sealed_records: SealedRecordTable;
}
