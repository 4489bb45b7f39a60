import type { Policy, Purpose } from './policy.schema.ts';

/**
 * The purposes a person can object to (GDPR Art. 21): processing on legitimate interests or a public
 * task (Art. 21(1), referring to Art. 6(1)(e) and (f)), and direct marketing on any basis (Art. 21(2)).
 * Consent is withdrawn rather than objected to (Art. 7(3)); contract and legal obligations allow neither.
 */
export function objectablePurposes(policy: Policy): Purpose[] {
  return policy.purposes.items.filter(
    (p) => p.directMarketing || p.legalBasis === 'legitimate-interests' || p.legalBasis === 'public-task',
  );
}

/** Art. 21(3): an objection to these is honoured at once and for good; no balancing of interests. */
export const isDirectMarketing = (policy: Policy, id: string): boolean =>
  policy.purposes.items.some((p) => p.id === id && p.directMarketing);

/** Why `ids` cannot be objected to, or undefined when every one can. */
export function objectionProblem(policy: Policy, ids: ReadonlyArray<string>): string | undefined {
  if (ids.length === 0) return 'name at least one purpose you object to';
  const allowed = objectablePurposes(policy).map((p) => p.id);
  const wrong = ids.filter((id) => !allowed.includes(id));
  if (wrong.length === 0) return undefined;
  return `${wrong.join(', ')}: not a purpose you can object to (you can object to: ${allowed.join(', ') || 'none'})`;
}

/**
 * Art. 17(1)(c): after an objection is upheld, the data kept only for the purposes objected to. A
 * category still serves another purpose when one of the policy's other purposes lists it; a purpose on
 * consent counts only where the person has given that consent (`consented`), and purposes about the
 * browser (cookie categories) never, since they do not use the shop's records.
 */
export function categoriesOnlyFor(
  policy: Policy,
  objected: ReadonlyArray<string>,
  consented: ReadonlySet<string>,
): Set<string> {
  const cookie = new Set(policy.cookies.categories.map((c) => c.id));
  const stillUsed = new Set(
    policy.purposes.items
      .filter((p) => !objected.includes(p.id))
      .filter((p) => p.legalBasis !== 'consent' || (consented.has(p.id) && !cookie.has(p.id)))
      .flatMap((p) => p.categories),
  );
  const only = new Set<string>();
  for (const p of policy.purposes.items.filter((x) => objected.includes(x.id)))
    for (const c of p.categories) if (!stillUsed.has(c)) only.add(c);
  return only;
}

/** The purposes in words, in the person's language (never their ids). */
export const purposeNames = (policy: Policy, ids: ReadonlyArray<string>, lang: 'nl' | 'en'): string[] =>
  ids.map((id) => policy.purposes.items.find((p) => p.id === id)?.name[lang] ?? id);
