import type { Clock } from '../lib/clock.ts';
import { DAY } from '../lib/clock.ts';
import { decrypt, deriveKey, encrypt } from '../lib/crypto.ts';
import { failpoint } from '../lib/failpoints.ts';
import type { ExportRepository } from './export.repository.ts';
import type { Db, DsrRequest, RequestRepository } from './request.repository.ts';

export const DOWNLOAD_VALID_MS = 14 * DAY;
export const MAX_DOWNLOADS = 5;

export const exportKey = (secret: string) => deriveKey(secret, 'requests/export');

/** The associated data of a part's encryption: the first part keeps the form of packages made before parts. */
const aad = (requestId: string, part: number) => (part === 1 ? `export:${requestId}` : `export:${requestId}:${part}`);

export interface StoredExport {
  exportId: string;
  part: number;
  expiresAt: string;
}

export interface ExportDeps {
  exports: ExportRepository;
  requests: RequestRepository;
  clock: Clock;
  secret: string;
  baseUrl: string;
}

export type DownloadOutcome = { fileName: string; zip: Buffer } | { error: 'expired' | 'unknown' };

/**
 * The one owner of an export package, from creation to destruction: it is stored encrypted, reached
 * through a download link (at most five downloads within 14 days), destroyed when those run out, when
 * its time is up, or at once when the person is erased; the officer can open it (audited by the caller).
 */
export class RequestExports {
  constructor(private readonly deps: ExportDeps) {}

  /**
   * Stores a part of a request's answer (part 1: the package; later parts: what a processor reached by
   * hand gave). Storing the same part twice keeps the first: a rerun stores no second package.
   */
  async store(
    db: Db,
    input: { requestId: string; part?: number; source?: string; fileName: string; zip: Uint8Array },
  ): Promise<StoredExport> {
    const now = this.deps.clock.now();
    const part = input.part ?? 1;
    const row = await this.deps.exports.insert(db, {
      request_id: input.requestId,
      part,
      source: input.source ?? null,
      file_name: input.fileName,
      ciphertext: encrypt(exportKey(this.deps.secret), Buffer.from(input.zip), aad(input.requestId, part)),
      expires_at: new Date(now.getTime() + DOWNLOAD_VALID_MS).toISOString(),
      max_downloads: MAX_DOWNLOADS,
    });
    failpoint('export.after-store');
    return { exportId: row.id, part, expiresAt: row.expires_at };
  }

  /** The next free part number for a processor's part (2 onwards: part 1 is the package itself). */
  async nextPart(db: Db, requestId: string): Promise<number> {
    return Math.max(2, await this.deps.exports.nextPart(db, requestId));
  }

  /** A download link for a stored part (the token is hashed at rest). */
  async link(db: Db, requestId: string, stored: StoredExport): Promise<string> {
    const token = await this.deps.requests.issueToken(
      db,
      requestId,
      'download',
      stored.expiresAt,
      MAX_DOWNLOADS,
      stored.exportId,
    );
    return `${this.deps.baseUrl}/requests/download/${token}`;
  }

  /**
   * What a download link leads to, without counting or destroying anything: the page a GET (or a mail
   * scanner's HEAD) shows; only its button's POST downloads.
   */
  async describe(
    token: string,
  ): Promise<
    | { state: 'ready'; request?: DsrRequest; fileName: string; expiresAt: string; downloadsLeft: number }
    | { state: 'expired'; request?: DsrRequest }
    | { state: 'unknown' }
  > {
    const found = await this.#byToken(token);
    if (!found) return { state: 'unknown' };
    const { row, file } = found;
    const request = await this.deps.requests.get(row.request_id);
    const now = this.deps.clock.now().toISOString();
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

  /** Delivers the package behind a download link, counting the download; the last allowed one destroys it. */
  async download(token: string): Promise<DownloadOutcome> {
    const { requests, clock } = this.deps;
    const found = await this.#byToken(token);
    if (!found) return { error: 'unknown' };
    const { row, file } = found;
    const now = clock.now().toISOString();
    if (!file?.ciphertext || row.expires_at <= now || file.expires_at <= now) {
      if (file?.ciphertext) await this.destroy(requests.db, { ids: [file.id] }, 'expired');
      return { error: 'expired' };
    }
    if (!(await requests.useToken(requests.db, row.hash))) {
      await this.destroy(requests.db, { ids: [file.id] }, 'downloads used');
      return { error: 'expired' };
    }
    const zip = decrypt(exportKey(this.deps.secret), file.ciphertext, aad(file.request_id, file.part));
    const downloads = await this.deps.exports.countDownload(requests.db, file.id);
    await requests.event(requests.db, file.request_id, 'downloaded', {
      downloads,
      ...(file.part > 1 ? { part: file.part } : {}),
    });
    if (downloads >= file.max_downloads) await this.destroy(requests.db, { ids: [file.id] }, 'downloads used');
    return { fileName: file.file_name, zip };
  }

  /** The first part as the person downloads it, for the officer; undefined once destroyed. */
  async open(requestId: string, part = 1): Promise<{ fileName: string; zip: Buffer } | undefined> {
    const file = await this.deps.exports.part(this.deps.requests.db, requestId, part);
    if (!file?.ciphertext) return undefined;
    return {
      fileName: file.file_name,
      zip: decrypt(exportKey(this.deps.secret), file.ciphertext, aad(requestId, part)),
    };
  }

  /** The parts of a request, without contents (for the desk). */
  parts(requestId: string) {
    return this.deps.exports.ofRequest(requestId);
  }

  /**
   * Destroys parts (by id, or every part of these requests), with an `export_destroyed` event on each
   * request that had one; the links to them stop working with the contents.
   */
  async destroy(
    db: Db,
    which: { ids?: ReadonlyArray<string>; requestIds?: ReadonlyArray<string> },
    why: string,
  ): Promise<void> {
    const destroyed = await this.deps.exports.destroy(db, which);
    if (destroyed.length === 0) return;
    const rows = await Promise.all(destroyed.map((id) => this.deps.exports.get(id, db)));
    for (const requestId of new Set(rows.flatMap((r) => (r ? [r.request_id] : []))))
      await this.deps.requests.event(db, requestId, 'export_destroyed', { why });
  }

  /** Housekeeping: every part whose 14 days are over. */
  async destroyExpired(): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const expired = await this.deps.exports.expired(now);
    if (expired.length > 0) await this.destroy(this.deps.requests.db, { ids: expired.map((e) => e.id) }, 'expired');
  }

  async #byToken(token: string) {
    const row = await this.deps.requests.findToken(token, 'download');
    if (!row) return undefined;
    const file = row.export_id
      ? await this.deps.exports.get(row.export_id)
      : await this.deps.exports.part(this.deps.requests.db, row.request_id, 1);
    return { row, file };
  }
}
