import { CompiledQuery, type Kysely } from 'kysely';
import { newOrderedId } from '../lib/ids.ts';
import { GroupCommit } from '../store/group-commit.ts';
import type { CookieConsentTable, Database } from '../store/schema.ts';
import type { ChoiceGroup, CookieConsentRecord } from './cookie-consent.ts';

export type NewCookieConsent = Omit<CookieConsentRecord, 'id'>;

/** The columns of a proof, in the order of the prepared insert's parameters. */
const COLUMNS = [
  'id',
  'consent_id',
  'choices',
  'policy_version',
  'banner_version',
  'gpc',
  'ip_truncated',
  'ua_family',
  'created_at',
] as const satisfies ReadonlyArray<keyof CookieConsentTable>;

/** The `cookie_consents` table: proof is only ever added, never changed. */
export class CookieConsentRepository {
  /**
   * Banner proofs come in bursts (every visitor of a shop's page): those arriving together are committed
   * together, and each is answered once its transaction has committed.
   */
  readonly #group: GroupCommit<unknown[]>;
  /** The insert, built at the first proof: per proof only its parameters change. */
  #insert: string | undefined;

  constructor(private readonly db: Kysely<Database>) {
    this.#group = new GroupCommit((rows) =>
      rows.length === 1
        ? this.#write(db, rows[0]!)
        : db.transaction().execute(async (trx) => {
            for (const row of rows) await this.#write(trx, row);
          }),
    );
  }

  async #write(db: Kysely<Database>, parameters: unknown[]): Promise<void> {
    this.#insert ??= this.db
      .insertInto('cookie_consents')
      .values(Object.fromEntries(COLUMNS.map((c) => [c, ''])) as unknown as CookieConsentTable)
      .compile().sql;
    await db.executeQuery(CompiledQuery.raw(this.#insert, parameters));
  }

  /** Stores one proof; resolves with its id once it is committed. */
  async add(proof: NewCookieConsent): Promise<string> {
    const id = newOrderedId();
    // Sorted keys: the same choice is the same text, so that stats can group on it.
    const choices = Object.fromEntries(Object.entries(proof.choices).sort(([a], [b]) => (a < b ? -1 : 1)));
    const row: Record<(typeof COLUMNS)[number], unknown> = {
      id,
      consent_id: proof.consentId,
      choices: JSON.stringify(choices),
      policy_version: proof.policyVersion,
      banner_version: proof.bannerVersion,
      gpc: proof.gpc ? 1 : 0,
      ip_truncated: proof.ipTruncated,
      ua_family: proof.userAgentFamily,
      created_at: proof.createdAt,
    };
    await this.#group.add(COLUMNS.map((c) => row[c]));
    return id;
  }

  /** A visitor's records, newest first. */
  async forVisitor(consentId: string): Promise<CookieConsentRecord[]> {
    const rows = await this.db
      .selectFrom('cookie_consents')
      .selectAll()
      .where('consent_id', '=', consentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  /** Visitors grouped by their latest choice per policy version. */
  async latestChoices(): Promise<ChoiceGroup[]> {
    const rows = await this.db
      .selectFrom('cookie_consents as c')
      .select(['c.policy_version', 'c.choices', 'c.gpc'])
      .select((eb) => eb.fn.countAll<string | number>().as('visitors'))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cookie_consents as n')
              .select('n.id')
              .whereRef('n.consent_id', '=', 'c.consent_id')
              .whereRef('n.policy_version', '=', 'c.policy_version')
              .where(({ or, and, eb }) =>
                or([
                  eb('n.created_at', '>', eb.ref('c.created_at')),
                  and([eb('n.created_at', '=', eb.ref('c.created_at')), eb('n.id', '>', eb.ref('c.id'))]),
                ]),
              ),
          ),
        ),
      )
      .groupBy(['c.policy_version', 'c.choices', 'c.gpc'])
      .orderBy('c.policy_version')
      .execute();
    return rows.map((r) => ({
      policyVersion: r.policy_version,
      choices: JSON.parse(r.choices) as Record<string, boolean>,
      gpc: r.gpc === 1,
      visitors: Number(r.visitors),
    }));
  }
}

function toRecord(r: CookieConsentTable): CookieConsentRecord {
  return {
    id: r.id,
    consentId: r.consent_id,
    choices: JSON.parse(r.choices) as Record<string, boolean>,
    policyVersion: r.policy_version,
    bannerVersion: r.banner_version,
    gpc: r.gpc === 1,
    ipTruncated: r.ip_truncated,
    userAgentFamily: r.ua_family,
    createdAt: r.created_at,
  };
}
