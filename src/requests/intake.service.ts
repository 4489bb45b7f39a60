import { normalizeEmail } from '../connectors/connector.ts';
import type { JobRepository } from '../jobs/job.repository.ts';
import { type Clock, DAY, HOUR } from '../lib/clock.ts';
import { decrypt, deriveKey, hmacHex } from '../lib/crypto.ts';
import { InzageError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { addTerm } from '../policy/term.ts';
import type { ActivityIndex } from '../retention/activity.ts';
import type { Db, DsrRequest, RequestRepository } from './request.repository.ts';
import type { NewRequest, RequestStatus } from './request.types.ts';

/** The part of the mail outbox requests use: a state change and its e-mail commit together. */
export interface RequestMail {
  enqueue(
    mail: {
      to: string;
      template: string;
      lang: 'nl' | 'en';
      data: Record<string, unknown>;
      requestId?: string;
      dedupeKey?: string;
    },
    db?: Db,
  ): Promise<string | undefined>;
}

export interface RequestDeps {
  requests: RequestRepository;
  /** Where a confirmed request counts as a contact moment (retention). */
  activity?: ActivityIndex;
  jobs: JobRepository;
  mail: RequestMail;
  clock: Clock;
  policy: () => Policy;
  secret: string;
  baseUrl: string;
}

export const VERIFY_VALID_MS = 48 * HOUR;
export const DOWNLOAD_VALID_MS = 14 * DAY;
export const MAX_DOWNLOADS = 5;
/** Requests one address may make in an hour before it is told to wait. */
export const REQUESTS_PER_ADDRESS_PER_HOUR = 5;

export const PROCESS_JOB = 'request.process';

/** A keyed HMAC of the normalised address: joins a person's requests and flags without naming them. */
export function subjectRef(secret: string, email: string): string {
  let key = refKeys.get(secret);
  if (!key) {
    key = deriveKey(secret, 'requests/subject-ref');
    refKeys.set(secret, key);
  }
  return hmacHex(key, normalizeEmail(email));
}
// Deriving the key costs more than the HMAC; retention computes hundreds of thousands of these.
const refKeys = new Map<string, Buffer>();

/** Intake, verification and download: what the person does. */
export class IntakeService {
  constructor(private readonly deps: RequestDeps) {}

  /**
   * Takes a request. Known and unknown addresses get the same answer and the same e-mail: nothing
   * is looked up in the shop before the address is verified.
   */
  async submit(input: NewRequest): Promise<{ id: string; status: RequestStatus }> {
    const { requests, clock } = this.deps;
    const ref = subjectRef(this.deps.secret, input.email);
    const hourAgo = new Date(clock.now().getTime() - HOUR).toISOString();
    if ((await requests.countSince(ref, hourAgo)) >= REQUESTS_PER_ADDRESS_PER_HOUR) {
      throw new InzageError('RATE_LIMITED', 'Too many requests for this address; please try again in an hour.', {
        field: 'email',
      });
    }
    return requests.db.transaction().execute(async (trx) => {
      const open = await requests.findOpen(trx, ref, input.type);
      if (open) {
        await requests.event(trx, open.id, 'joined');
        return { id: open.id, status: open.status };
      }
      const now = clock.now();
      const id = newId();
      const policy = this.deps.policy();
      await requests.insert(trx, {
        id,
        type: input.type,
        status: 'awaiting_verification',
        language: input.language,
        email: input.email.trim(),
        subject_ref: ref,
        name: input.name ?? null,
        message: input.message ?? null,
        details: JSON.stringify({ corrections: input.corrections, deliverTo: input.deliverTo }),
        received_at: now.toISOString(),
        verified_at: null,
        due_at: new Date(now.getTime() + policy.rights.answerWithinDays * DAY).toISOString(),
        legal_due_at: addTerm(now, { months: 1 }).toISOString(),
        extended_at: null,
        completed_at: null,
        outcome: null,
        result: null,
      });
      await requests.event(trx, id, 'received', { type: input.type, deliverElsewhere: !!input.deliverTo });
      const expiresAt = new Date(now.getTime() + VERIFY_VALID_MS).toISOString();
      const token = await requests.issueToken(trx, id, 'verify', expiresAt, 1);
      await this.deps.mail.enqueue(
        {
          to: input.email.trim(),
          template: 'verify',
          lang: input.language,
          data: { type: input.type, link: `${this.deps.baseUrl}/requests/verify/${token}`, expiresAt },
          requestId: id,
          dedupeKey: `request:${id}:verify`,
        },
        trx,
      );
      return { id, status: 'awaiting_verification' as const };
    });
  }

  /** What the page behind a verification link shows; opening it (GET) changes nothing. */
  async describeVerification(
    token: string,
  ): Promise<
    { state: 'ready'; request: DsrRequest } | { state: 'expired' | 'used' | 'unknown'; request?: DsrRequest }
  > {
    const row = await this.deps.requests.findToken(token, 'verify');
    if (!row) return { state: 'unknown' };
    const request = await this.deps.requests.get(row.request_id);
    if (!request) return { state: 'unknown' };
    if (row.uses >= row.max_uses) return { state: 'used', request };
    if (row.expires_at <= this.deps.clock.now().toISOString() || request.status === 'expired') {
      return { state: 'expired', request };
    }
    return { state: 'ready', request };
  }

  /** The one click (POST) that verifies the address; a request to deliver elsewhere waits for an identity check. */
  async confirm(
    token: string,
  ): Promise<{ state: 'verified' | 'awaiting_identity' | 'expired' | 'used' | 'unknown'; request?: DsrRequest }> {
    const { requests, clock } = this.deps;
    const seen = await this.describeVerification(token);
    if (seen.state === 'expired' && seen.request) {
      await this.expire(seen.request.id);
      return { state: 'expired', request: await requests.get(seen.request.id) };
    }
    if (seen.state !== 'ready') return seen;
    const row = (await requests.findToken(token, 'verify'))!;
    const request = seen.request;
    const next: RequestStatus = request.details.deliverTo ? 'awaiting_identity' : 'verified';
    const done = await requests.db.transaction().execute(async (trx) => {
      if (!(await requests.useToken(trx, row.hash))) return false;
      if (
        !(await requests.transition(trx, request.id, ['awaiting_verification'], next, {
          verified_at: clock.now().toISOString(),
        }))
      ) {
        return false;
      }
      await requests.event(trx, request.id, 'verified');
      if (next === 'awaiting_identity') {
        await requests.event(trx, request.id, 'awaiting_identity');
        await this.deps.mail.enqueue(
          {
            to: request.email!,
            template: 'awaiting-identity',
            lang: request.language,
            data: { type: request.type },
            requestId: request.id,
            dedupeKey: `request:${request.id}:awaiting-identity`,
          },
          trx,
        );
      } else {
        await this.deps.jobs.enqueue(PROCESS_JOB, { id: request.id }, { dedupeKey: `process:${request.id}` }, trx);
      }
      return true;
    });
    if (!done) return { state: 'used', request };
    if (request.subjectRef) await this.deps.activity?.record(request.subjectRef, 'request', clock.now().toISOString());
    return { state: next, request: await requests.get(request.id) };
  }

  /**
   * The shop reports that a customer closed their account: the policy treats that as a forget request.
   * The shop has authenticated the person, so no verification link is sent; the erasure starts at once.
   */
  async closeAccountFromShop(
    email: string,
    language: 'nl' | 'en' = 'nl',
  ): Promise<{ id: string; status: RequestStatus }> {
    const { requests, clock } = this.deps;
    const ref = subjectRef(this.deps.secret, email);
    return requests.db.transaction().execute(async (trx) => {
      const open = await requests.findOpen(trx, ref, 'closure');
      if (open) return { id: open.id, status: open.status };
      const now = clock.now();
      const id = newId();
      await requests.insert(trx, {
        id,
        type: 'closure',
        status: 'verified',
        language,
        email: email.trim(),
        subject_ref: ref,
        name: null,
        message: null,
        details: null,
        received_at: now.toISOString(),
        verified_at: now.toISOString(),
        due_at: new Date(now.getTime() + this.deps.policy().rights.answerWithinDays * DAY).toISOString(),
        legal_due_at: addTerm(now, { months: 1 }).toISOString(),
        extended_at: null,
        completed_at: null,
        outcome: null,
        result: null,
      });
      await requests.event(trx, id, 'received', { type: 'closure', source: 'shop event account.closed' });
      await this.deps.jobs.enqueue(PROCESS_JOB, { id }, { dedupeKey: `process:${id}` }, trx);
      return { id, status: 'verified' as const };
    });
  }

  /** Marks an unverified request as expired (48 hours passed): it says so, and nothing more happens. */
  async expire(id: string): Promise<boolean> {
    const { requests } = this.deps;
    return requests.db.transaction().execute(async (trx) => {
      const ok = await requests.transition(trx, id, ['awaiting_verification'], 'expired', {
        completed_at: requests.now(),
        outcome: 'not verified within 48 hours',
      });
      if (ok) {
        await requests.event(trx, id, 'expired');
        await requests.deleteTokens(trx, id);
      }
      return ok;
    });
  }

  /**
   * What the page behind a download link shows. Opening it (GET, HEAD: mail scanners open every link)
   * neither counts as a download nor destroys anything; only `download` (the page's one button) does.
   */
  async describeDownload(
    token: string,
  ): Promise<
    | { state: 'ready'; request?: DsrRequest; fileName: string; expiresAt: string; downloadsLeft: number }
    | { state: 'expired'; request?: DsrRequest }
    | { state: 'unknown' }
  > {
    const { requests, clock } = this.deps;
    const row = await requests.findToken(token, 'download');
    if (!row) return { state: 'unknown' };
    const request = await requests.get(row.request_id);
    const file = await requests.db
      .selectFrom('request_exports')
      .select(['file_name', 'expires_at', 'ciphertext'])
      .where('request_id', '=', row.request_id)
      .executeTakeFirst();
    const now = clock.now().toISOString();
    if (!file?.ciphertext || row.expires_at <= now || file.expires_at <= now || row.uses >= row.max_uses)
      return { state: 'expired', request };
    return {
      state: 'ready',
      request,
      fileName: file.file_name,
      expiresAt: [row.expires_at, file.expires_at].sort()[0]!,
      downloadsLeft: row.max_uses - row.uses,
    };
  }

  /** The export behind a download link (its page's POST): at most five within 14 days, then the file is destroyed. */
  async download(token: string): Promise<{ fileName: string; zip: Buffer } | { error: 'expired' | 'unknown' }> {
    const { requests, clock } = this.deps;
    const row = await requests.findToken(token, 'download');
    if (!row) return { error: 'unknown' };
    const file = await requests.db
      .selectFrom('request_exports')
      .selectAll()
      .where('request_id', '=', row.request_id)
      .executeTakeFirst();
    const now = clock.now().toISOString();
    if (!file?.ciphertext || row.expires_at <= now || file.expires_at <= now) {
      if (file?.ciphertext) await this.destroyExport(row.request_id, 'expired');
      return { error: 'expired' };
    }
    if (!(await requests.useToken(requests.db, row.hash))) {
      await this.destroyExport(row.request_id, 'downloads used');
      return { error: 'expired' };
    }
    const zip = decrypt(exportKey(this.deps.secret), file.ciphertext, `export:${row.request_id}`);
    const downloads = file.downloads + 1;
    await requests.db
      .updateTable('request_exports')
      .set({ downloads })
      .where('request_id', '=', row.request_id)
      .execute();
    await requests.event(requests.db, row.request_id, 'downloaded', { downloads });
    if (downloads >= file.max_downloads) await this.destroyExport(row.request_id, 'downloads used');
    return { fileName: file.file_name, zip };
  }

  async destroyExport(requestId: string, why: string): Promise<void> {
    const { requests } = this.deps;
    const r = await requests.db
      .updateTable('request_exports')
      .set({ ciphertext: null, destroyed_at: requests.now() })
      .where('request_id', '=', requestId)
      .where('ciphertext', 'is not', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) await requests.event(requests.db, requestId, 'export_destroyed', { why });
  }
}

export const exportKey = (secret: string) => deriveKey(secret, 'requests/export');
