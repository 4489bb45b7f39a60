import type { Kysely } from 'kysely';
import { derivedKey, encrypt, tryDecrypt } from '../lib/crypto.ts';
import { InzageError } from '../lib/errors.ts';
import { failpoint } from '../lib/failpoints.ts';
import type { Database } from '../store/schema.ts';
import { HubKeysRepository } from './hub-keys.repository.ts';
import {
  KEPT_PURPOSES,
  keyringOpensWith,
  openKeyring,
  ROTATION_MARK,
  secretOpensData,
  storeKeptKeys,
  unwrapHubKey,
  wrapHubKey,
} from './keyring.ts';
import { RekeyRepository, SEALED_COLUMNS } from './rekey.repository.ts';

export interface RotationSummary {
  /**
   * Per encrypted column (`table.column`): rows with a value, how many this run rewrote, and how many open
   * with neither secret (left from an earlier secret, e.g. after `secret lost`), left as they are.
   */
  columns: Record<string, { rows: number; rewritten: number; unreadable: number }>;
  /** Kept keys rewrapped under the new secret (the pseudonyms stay the same). */
  keptKeys: number;
  sessionsEnded: number;
  setupLinksEnded: number;
  /** True when this run finished a rotation an earlier run began. */
  resumed: boolean;
}

/** A worker heartbeats every 5 s; one seen within this window is taken to be running. */
const ALIVE_WINDOW_MS = 30_000;

/**
 * Moves the hub from one INZAGE_SECRET to another: every value encrypted under a key derived from the
 * secret (archive keys, TOTP secrets, the mail outbox, analytics ids, download packages, withdrawal
 * links' addresses, Shopify webhook bodies) is re-encrypted; the kept keys (src/secrets/keyring.ts) are
 * rewrapped, so every subject reference stays the same; back-office sessions and setup links end, and
 * with them everything signed under the old secret (CSRF, device cookies). Links sent to people keep
 * working: they are random and stored as plain hashes, nothing derived from the secret makes or checks them.
 *
 * Interrupted, it is run again with the same two secrets: a value that opens with the new secret is left
 * as it is, one that opens with the old is rewritten, so a rerun finishes what the first began. While a
 * rotation is unfinished the hub is marked and nothing starts on it (`openKeyring` refuses).
 * Every process on the hub must be stopped first: one that went on would write under the old secret.
 */
export async function rotateSecret(deps: {
  db: Kysely<Database>;
  oldSecret: string;
  newSecret: string;
  now: Date;
  /** Rotate although some values open with neither secret (they stay unreadable, as they were). */
  leaveUnreadable?: boolean;
  /** Runs once everything is rewritten, before the hub is unmarked: the audit entry, so a crash cannot lose it. */
  recordDone?: (summary: RotationSummary) => Promise<void>;
}): Promise<RotationSummary> {
  const { db, oldSecret, newSecret, now } = deps;
  if (newSecret.length < 32)
    throw new InzageError('VALIDATION_FAILED', 'the new secret must be at least 32 characters', {
      field: 'new-secret',
    });
  if (newSecret === oldSecret)
    throw new InzageError('VALIDATION_FAILED', 'the new secret is the current one', { field: 'new-secret' });
  const keys = new HubKeysRepository(db);
  const rekey = new RekeyRepository(db);

  const mark = (await keys.all()).find((r) => r.purpose === ROTATION_MARK);
  const resumed = mark !== undefined;
  if (mark) {
    // Resuming: only the rotation that was begun may be finished, to the secret it was begun with.
    if (!unwrapHubKey(newSecret, ROTATION_MARK, mark.wrapped))
      throw new InzageError(
        'CONFLICT',
        'a rotation to another new secret was begun on this hub: finish it with that secret (the one it was given first)',
      );
  } else {
    await refuseRunningWorkers(rekey, now);
    if ((await rekey.unfinishedRetentionRuns()) > 0)
      throw new InzageError(
        'CONFLICT',
        'a retention run is unfinished (its journal holds people under the current secret): let it finish (`inzage retention run`) first',
      );
    // Proves the current secret (and stores the kept keys of a hub from before the keyring) before anything changes.
    await openKeyring(db, oldSecret, now);
    // Read everything once before the hub is marked: a value neither secret opens would stop the rotation
    // half-way, so it is found now, while refusing still changes nothing.
    if (!deps.leaveUnreadable) {
      const unreadable: string[] = [];
      for (const sealed of SEALED_COLUMNS) {
        const oldKey = derivedKey(oldSecret, sealed.purpose);
        let n = 0;
        await rekey.eachPage(sealed, (rows) => {
          for (const row of rows) if (!tryDecrypt(oldKey, String(row[sealed.column]), sealed.aad(row))) n++;
        });
        if (n) unreadable.push(`${sealed.table}.${sealed.column}: ${n}`);
      }
      if (unreadable.length)
        throw new InzageError(
          'CONFLICT',
          `some values do not open with the current secret (left from an earlier one): ${unreadable.join(', ')}. Nothing was changed; rotate with --leave-unreadable to leave them as they are`,
        );
    }
    await keys.addIfAbsent(
      { purpose: ROTATION_MARK, wrapped: wrapHubKey(newSecret, ROTATION_MARK, Buffer.from(ROTATION_MARK)) },
      now,
    );
  }

  let keptKeys = 0;
  for (const row of await keys.all()) {
    if (row.purpose === ROTATION_MARK || unwrapHubKey(newSecret, row.purpose, row.wrapped)) continue;
    const key = unwrapHubKey(oldSecret, row.purpose, row.wrapped);
    if (!key)
      throw new InzageError('CONFLICT', `the hub key ${row.purpose} opens with neither secret`, {
        field: 'INZAGE_SECRET',
      });
    await keys.rewrap(row.purpose, wrapHubKey(newSecret, row.purpose, key));
    keptKeys++;
  }

  const columns: RotationSummary['columns'] = {};
  for (const sealed of SEALED_COLUMNS) {
    const oldKey = derivedKey(oldSecret, sealed.purpose);
    const newKey = derivedKey(newSecret, sealed.purpose);
    let unreadable = 0;
    const done = await rekey.rewriteColumn(sealed, (rows) => {
      const changes: Array<{ row: Record<string, unknown>; value: string }> = [];
      for (const row of rows) {
        const value = String(row[sealed.column]);
        const aad = sealed.aad(row);
        if (tryDecrypt(newKey, value, aad)) continue;
        const plain = tryDecrypt(oldKey, value, aad);
        // Already unreadable before this rotation (checked before the hub was marked, or allowed).
        if (plain) changes.push({ row, value: encrypt(newKey, plain, aad) });
        else unreadable++;
      }
      return changes;
    });
    columns[`${sealed.table}.${sealed.column}`] = { ...done, unreadable };
    failpoint('secret.after-column');
  }

  const ended = await rekey.endSessions();
  const summary = { columns, keptKeys, sessionsEnded: ended.sessions, setupLinksEnded: ended.setupLinks, resumed };
  await deps.recordDone?.(summary);
  await keys.remove(ROTATION_MARK);
  return summary;
}

/**
 * The hub's secret is lost for good and INZAGE_SECRET holds a new one: the hub starts over with it. What is
 * gone is gone (docs/deploy.md, "The secret"): new subject references, so old audit entries, activity and
 * requests no longer link to the same person's new ones; the sealed archive unreadable; officers enrol
 * their second factor again; queued mails, download packages, withdrawal links and analytics ids dropped.
 * Refused when the secret opens the hub: then nothing is lost, and `rotate` is the command.
 */
export async function startOverWithNewSecret(deps: {
  db: Kysely<Database>;
  secret: string;
  now: Date;
}): Promise<{ dropped: Record<string, number>; sessionsEnded: number }> {
  const hasKeyring = (await new HubKeysRepository(deps.db).all()).length > 0;
  if (
    (await keyringOpensWith(deps.db, deps.secret)) ||
    (!hasKeyring && (await secretOpensData(deps.db, deps.secret)) !== 'no')
  )
    throw new InzageError(
      'CONFLICT',
      'INZAGE_SECRET opens this hub: its secret is not lost (to change it, use `inzage secret rotate`)',
    );
  const rekey = new RekeyRepository(deps.db);
  await refuseRunningWorkers(rekey, deps.now);
  const ended = await rekey.endSessions();
  const dropped = await rekey.forgetUnreadable(deps.now);
  await openKeyringAfresh(deps.db, deps.secret, deps.now);
  return { dropped, sessionsEnded: ended.sessions };
}

/** A keyring for a hub whose archive the secret cannot open (openKeyring would refuse to make one). */
async function openKeyringAfresh(db: Kysely<Database>, secret: string, now: Date): Promise<void> {
  await storeKeptKeys(new HubKeysRepository(db), secret, KEPT_PURPOSES, now);
  await openKeyring(db, secret, now);
}

/** A process that went on would write under the old secret; a worker says it runs by its heartbeat. */
async function refuseRunningWorkers(rekey: RekeyRepository, now: Date): Promise<void> {
  if ((await rekey.workersAliveSince(new Date(now.getTime() - ALIVE_WINDOW_MS))) > 0)
    throw new InzageError(
      'CONFLICT',
      'a worker is running on this hub (a heartbeat in the last 30 s): stop every `inzage serve` and `inzage worker` first',
    );
}
