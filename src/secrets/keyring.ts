import type { Kysely } from 'kysely';
import { derivedKey, encrypt, keepKeys, tryDecrypt } from '../lib/crypto.ts';
import { InzageError } from '../lib/errors.ts';
import type { Database } from '../store/schema.ts';
import { HubKeysRepository } from './hub-keys.repository.ts';
import { RekeyRepository, SEALED_COLUMNS } from './rekey.repository.ts';

/**
 * The keys that must stay the same when INZAGE_SECRET changes: each keys a pseudonym stored next to
 * data, so a new key would cut a person off from their own rows.
 * - `requests/subject-ref`: the subject reference of requests, activity, audit entries, consent and holds;
 * - `sealed-archive/subject-ref`: which archive key is a person's;
 * - `analytics-ids/hash`: how an analytics id is found again;
 * - `erasure/hash`: the value the `hash` strategy leaves in the shop's rows.
 * Every other key is derived from the current secret and changes with it (a rotation re-encrypts what
 * it encrypted; tokens and cookies it signed stop working).
 */
export const KEPT_PURPOSES = [
  'requests/subject-ref',
  'sealed-archive/subject-ref',
  'analytics-ids/hash',
  'erasure/hash',
] as const;

/** While present, a rotation has begun and not finished (src/secrets/rotate.ts). */
export const ROTATION_MARK = 'rotation';

const wrapKey = (secret: string) => derivedKey(secret, 'hub-keys/wrap');
const aad = (purpose: string) => `hub-key:${purpose}`;

export const wrapHubKey = (secret: string, purpose: string, key: Buffer): string =>
  encrypt(wrapKey(secret), key, aad(purpose));

/** The key, or undefined when this secret did not wrap it. */
export const unwrapHubKey = (secret: string, purpose: string, wrapped: string): Buffer | undefined =>
  tryDecrypt(wrapKey(secret), wrapped, aad(purpose));

/**
 * Opens the hub's keyring with the secret, before anything derives a key from it: the kept keys are read
 * and used for this secret from now on. A hub that has none yet (a new hub, or one from before migration
 * 0095) stores the keys this secret derives today, so nothing changes for existing rows. A secret that
 * does not open the keyring, or the sealed archive of a hub that has no keyring yet, is refused: it
 * would give everyone new references and leave the archive closed.
 */
export async function openKeyring(db: Kysely<Database>, secret: string, now: Date = new Date()): Promise<void> {
  const repository = new HubKeysRepository(db);
  let rows = await repository.all();
  if (rows.some((r) => r.purpose === ROTATION_MARK))
    throw new InzageError(
      'CONFIG_INVALID',
      'a secret rotation was begun and did not finish: run `inzage secret rotate` again with the same secrets before starting',
    );
  const missing = KEPT_PURPOSES.filter((p) => !rows.some((r) => r.purpose === p));
  if (missing.length) {
    if (rows.length === 0 && (await secretOpensData(db, secret)) === 'no')
      throw new InzageError(
        'CONFIG_INVALID',
        'INZAGE_SECRET does not open this hub’s data (its sealed archive, TOTP secrets or mail): it is not the secret the hub was made with',
        { field: 'INZAGE_SECRET' },
      );
    await storeKeptKeys(repository, secret, missing, now);
    rows = await repository.all();
  }
  const keys = new Map<string, Buffer>();
  for (const row of rows) {
    const key = unwrapHubKey(secret, row.purpose, row.wrapped);
    if (!key)
      throw new InzageError(
        'CONFIG_INVALID',
        'INZAGE_SECRET is not the secret of this hub: it does not open the hub’s keys. Set the secret the hub was made with (or the new one, after `inzage secret rotate`); if it is lost for good, `inzage secret lost --confirm` starts over with this one (docs/deploy.md says what is lost)',
        { field: 'INZAGE_SECRET' },
      );
    keys.set(row.purpose, key);
  }
  keepKeys(secret, keys);
}

/**
 * Stores, wrapped under the secret, the keys this secret derives today for purposes the hub keeps none of
 * yet: for a hub from before the keyring nothing changes, every reference stays what it was.
 */
export async function storeKeptKeys(
  repository: HubKeysRepository,
  secret: string,
  purposes: readonly string[],
  now: Date,
): Promise<void> {
  await repository.addAllIfAbsent(
    purposes.map((purpose) => ({ purpose, wrapped: wrapHubKey(secret, purpose, derivedKey(secret, purpose)) })),
    now,
  );
}

/** The columns whose newest values tell which secret a hub's data is under (a key of each, or a mail). */
const TELLING = ['archive_keys', 'admin_users', 'mail_outbox'];
const SAMPLE = 20;

/**
 * Whether the secret opens the hub's newest encrypted values, for a hub that has no keyring yet (made
 * before it, or new): `no` when a kind of value has some and the secret opens none of them, `yes` when it
 * opens some, `unknown` when there is nothing to tell by. The newest, and any one of them: a hub whose
 * secret was once changed (before rotation existed) still holds older values it cannot open.
 */
export async function secretOpensData(db: Kysely<Database>, secret: string): Promise<'yes' | 'no' | 'unknown'> {
  const rekey = new RekeyRepository(db);
  let seen = false;
  for (const sealed of SEALED_COLUMNS.filter((c) => TELLING.includes(c.table))) {
    const rows = await rekey.newest(sealed, SAMPLE);
    if (rows.length === 0) continue;
    seen = true;
    const key = derivedKey(secret, sealed.purpose);
    if (!rows.some((row) => tryDecrypt(key, String(row[sealed.column]), sealed.aad(row)))) return 'no';
  }
  return seen ? 'yes' : 'unknown';
}

/** True when this secret opens every key the hub keeps and no rotation is unfinished; changes nothing. */
export async function keyringOpensWith(db: Kysely<Database>, secret: string): Promise<boolean> {
  const rows = await new HubKeysRepository(db).all();
  if (rows.length === 0 || rows.some((r) => r.purpose === ROTATION_MARK)) return false;
  return rows.every((r) => unwrapHubKey(secret, r.purpose, r.wrapped) !== undefined);
}
