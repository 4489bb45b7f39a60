import type { Policy, Purpose } from '../policy/policy.schema.ts';

/**
 * Purposes whose legal basis is consent and that are about contacting the person, not about the
 * browser: a purpose named by a cookie category, or served by the processor of a cookie service
 * (Google Analytics), belongs to the banner and is left out.
 */
export function contactPurposes(policy: Policy): Purpose[] {
  const cookieCategories = new Set(policy.cookies.categories.map((c) => c.id));
  const cookieProcessors = new Set(policy.cookies.services.flatMap((s) => (s.processor ? [s.processor] : [])));
  const cookiePurposes = new Set([
    ...cookieCategories,
    ...policy.processors.filter((p) => cookieProcessors.has(p.id)).flatMap((p) => p.purposes),
  ]);
  return policy.purposes.items.filter((p) => p.legalBasis === 'consent' && !cookiePurposes.has(p.id));
}

/**
 * What `contactAllowed` checks when asked without a purpose: the consent purpose for contact
 * (`later-contact` in the example policy: its id says contact); when no id says so, every contact
 * purpose, so that the answer errs on the side of not contacting.
 */
export function defaultContactPurposes(policy: Policy): string[] {
  const all = contactPurposes(policy).map((p) => p.id);
  const named = all.filter((id) => /(^|-)contact(-|$)/.test(id));
  return named.length > 0 ? named : all;
}

/** Why a purpose id cannot carry contact consent, or undefined when it can. */
export function purposeProblem(policy: Policy, id: string): string | undefined {
  const purpose = policy.purposes.items.find((p) => p.id === id);
  if (!purpose) return `is not a purpose in the policy (${listIds(contactPurposes(policy))})`;
  if (purpose.legalBasis !== 'consent') return `rests on ${purpose.legalBasis ?? 'no legal basis'}, not on consent`;
  if (!contactPurposes(policy).some((p) => p.id === id))
    return 'is a cookie purpose; the cookie banner records that consent';
  return undefined;
}

/** The purpose's name in the language asked; the id when the policy lacks it. */
export const purposeName = (policy: Policy, id: string, lang: 'nl' | 'en'): string =>
  policy.purposes.items.find((p) => p.id === id)?.name[lang] ?? id;

const listIds = (purposes: Purpose[]) =>
  purposes.length > 0 ? `consent purposes: ${purposes.map((p) => p.id).join(', ')}` : 'it has no consent purposes';
