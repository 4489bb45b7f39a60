import { ADEQUATE_COUNTRIES, isThirdCountry, REF } from './lint-law.ts';
import { error, isBlank, isBlankText, type LintRule, type Path, type RuleFinding, warning } from './lint-support.ts';
import type { Policy, Processor } from './policy.schema.ts';

/** Rules about who handles the data: the controller, the processors, references between entries. */

const controllerContact: LintRule = {
  id: 'controller-contact',
  reason: 'The reader must be told who the controller is and how to reach the privacy contact.',
  reference: REF.controllerIdentity,
  check(policy) {
    const c = policy.controller;
    const required: Array<[string | undefined, Path, string]> = [
      [c.name, ['controller', 'name'], 'the controller has no name'],
      [c.email, ['controller', 'email'], 'the controller has no e-mail address'],
      [c.address.street, ['controller', 'address', 'street'], 'the controller address has no street'],
      [c.address.postalCode, ['controller', 'address', 'postalCode'], 'the controller address has no postal code'],
      [c.address.city, ['controller', 'address', 'city'], 'the controller address has no city'],
      [c.address.country, ['controller', 'address', 'country'], 'the controller address has no country'],
      [c.privacyContact.name, ['controller', 'privacyContact', 'name'], 'the privacy contact has no name'],
      [c.privacyContact.email, ['controller', 'privacyContact', 'email'], 'the privacy contact has no e-mail address'],
    ];
    return required.filter(([value]) => isBlank(value)).map(([, path, message]) => error(path, message));
  },
};

function checkAgreement(p: Processor, at: Path): RuleFinding[] {
  const status = p.agreement?.status ?? 'none';
  if (status === 'signed') return [];
  if (status === 'pending') {
    return [warning([...at, 'agreement', 'status'], `${p.name}: the processor agreement is not signed yet (pending)`)];
  }
  const path = p.agreement ? [...at, 'agreement', 'status'] : [...at, 'agreement'];
  return [error(path, `${p.name} processes data for the shop but there is no processor agreement`)];
}

const processorIncomplete: LintRule = {
  id: 'processor-incomplete',
  reason:
    'A processor needs a contract that names the data and the purpose (Art. 28(3)); every recipient must be described to the reader.',
  reference: REF.processorContract,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.processors.forEach((p, i) => {
      const at = ['processors', i];
      const ref = p.role === 'processor' ? REF.processorContract : REF.recipients;
      if (p.categories.length === 0) {
        out.push(error([...at, 'categories'], `${p.name}: no data categories listed; say which data it receives`, ref));
      }
      if (isBlankText(p.purpose)) {
        out.push(error([...at, 'purpose'], `${p.name}: no purpose given; say what it does with the data`, ref));
      }
      if (p.role === 'processor') out.push(...checkAgreement(p, at));
      if (p.locations.length === 0) {
        out.push(
          warning(
            [...at, 'locations'],
            `${p.name}: no locations given, so transfers outside the EEA cannot be checked`,
            REF.locations,
          ),
        );
      }
    });
    return out;
  },
};

function thirdCountries(p: Processor): Array<{ country: string; index: number }> {
  return p.locations.map((country, index) => ({ country, index })).filter(({ country }) => isThirdCountry(country));
}

const transferWithoutSafeguard: LintRule = {
  id: 'transfer-without-safeguard',
  reason:
    'Personal data may leave the EEA only with a safeguard: an adequacy decision, the EU-US Data Privacy Framework, standard contractual clauses, binding corporate rules or a derogation.',
  reference: REF.transfer,
  check(policy) {
    const out: RuleFinding[] = [];
    const unsafe = new Map<string, string[]>();
    policy.processors.forEach((p, i) => {
      const outside = thirdCountries(p);
      const first = outside[0];
      if (!first || p.transferSafeguard) return;
      const countries = outside.map((o) => o.country);
      unsafe.set(p.id, countries);
      out.push(
        error(
          ['processors', i, 'locations', first.index],
          `${p.name}: data goes to ${countries.join(', ')} (outside the EEA) but no transferSafeguard is given`,
        ),
      );
    });
    policy.cookies.services.forEach((s, i) => {
      const countries = s.processor ? unsafe.get(s.processor) : undefined;
      if (!countries) return;
      out.push(
        error(
          ['cookies', 'services', i, 'processor'],
          `cookie service ${s.name} sends data through ${s.processor} to ${countries.join(', ')} without a transfer safeguard`,
        ),
      );
    });
    return out;
  },
};

const transferSafeguardMismatch: LintRule = {
  id: 'transfer-safeguard-mismatch',
  reason: 'An adequacy decision or the Data Privacy Framework covers only the countries it was made for.',
  reference: REF.adequacy,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.processors.forEach((p, i) => {
      const mechanism = p.transferSafeguard?.mechanism;
      const path = ['processors', i, 'transferSafeguard', 'mechanism'];
      for (const { country } of thirdCountries(p)) {
        if (mechanism === 'adequacy' && !ADEQUATE_COUNTRIES.has(country)) {
          const hint = country === 'US' ? ' (for the US, use dpf when the company is certified)' : '';
          out.push(warning(path, `${p.name}: there is no adequacy decision for ${country}${hint}`));
        }
        if (mechanism === 'dpf' && country !== 'US') {
          out.push(warning(path, `${p.name}: the Data Privacy Framework covers the US only, not ${country}`));
        }
      }
    });
    return out;
  },
};

/** Reports each id that occurs more than once in a list. */
function duplicates(items: ReadonlyArray<{ id?: string }>, at: Path, what: string): RuleFinding[] {
  const seen = new Set<string>();
  const out: RuleFinding[] = [];
  items.forEach((item, i) => {
    if (item.id === undefined) return;
    if (seen.has(item.id)) out.push(error([...at, i, 'id'], `duplicate ${what} id "${item.id}"`));
    seen.add(item.id);
  });
  return out;
}

/** Reports each id in `refs` that is not in `known`. */
function unknown(refs: readonly string[], known: ReadonlySet<string>, at: Path, what: string): RuleFinding[] {
  return refs.flatMap((ref, j) => (known.has(ref) ? [] : [error([...at, j], `unknown ${what} "${ref}"`)]));
}

function checkDuplicates(policy: Policy): RuleFinding[] {
  return [
    ...duplicates(policy.categories, ['categories'], 'category'),
    ...duplicates(policy.purposes.items, ['purposes', 'items'], 'purpose'),
    ...duplicates(policy.purposes.sections, ['purposes', 'sections'], 'section'),
    ...duplicates(policy.processors, ['processors'], 'processor'),
    ...duplicates(policy.processing.sections, ['processing', 'sections'], 'section'),
    ...duplicates(policy.retention.rules, ['retention', 'rules'], 'retention rule'),
    ...duplicates(policy.cookies.categories, ['cookies', 'categories'], 'cookie category'),
    ...duplicates(policy.cookies.services, ['cookies', 'services'], 'cookie service'),
  ];
}

const unknownReference: LintRule = {
  id: 'unknown-reference',
  reason: 'An id that points at nothing (or at two things) makes the policy say something other than its author meant.',
  check(policy, options) {
    const categories = new Set(policy.categories.map((c) => c.id));
    const processors = new Set(policy.processors.map((p) => p.id));
    const cookieCategories = new Set(policy.cookies.categories.map((c) => c.id));
    const out = checkDuplicates(policy);
    policy.purposes.items.forEach((p, i) => {
      out.push(...unknown(p.categories, categories, ['purposes', 'items', i, 'categories'], 'category'));
    });
    policy.processors.forEach((p, i) => {
      out.push(...unknown(p.categories, categories, ['processors', i, 'categories'], 'category'));
    });
    policy.processing.sections.forEach((s, i) => {
      out.push(...unknown(s.processors, processors, ['processing', 'sections', i, 'processors'], 'processor'));
    });
    const holds = options.legalHolds ? new Set(options.legalHolds) : undefined;
    policy.retention.rules.forEach((r, i) => {
      const at = ['retention', 'rules', i];
      out.push(...unknown(r.categories, categories, [...at, 'categories'], 'category'));
      if (holds && r.legalHold && !holds.has(r.legalHold)) {
        out.push(error([...at, 'legalHold'], `unknown legal hold "${r.legalHold}" (the data map does not define it)`));
      }
    });
    policy.cookies.services.forEach((s, i) => {
      const at = ['cookies', 'services', i];
      if (s.processor && !processors.has(s.processor)) {
        out.push(error([...at, 'processor'], `unknown processor "${s.processor}"`));
      }
      if (!cookieCategories.has(s.category))
        out.push(error([...at, 'category'], `unknown cookie category "${s.category}"`));
    });
    return out;
  },
};

const processorNotListed: LintRule = {
  id: 'processor-not-listed',
  reason:
    'The public policy shows the parties by section (or by cookie service); a party in neither is a recipient the reader never sees.',
  reference: REF.recipients,
  check(policy) {
    // A party behind a cookie service is shown in the cookie section.
    const listed = new Set([
      ...policy.processing.sections.flatMap((s) => s.processors),
      ...policy.cookies.services.flatMap((s) => (s.processor ? [s.processor] : [])),
    ]);
    return policy.processors.flatMap((p, i) =>
      listed.has(p.id) ? [] : [warning(['processors', i, 'id'], `${p.name} is in no processing section`)],
    );
  },
};

export const PARTY_RULES: readonly LintRule[] = [
  controllerContact,
  processorIncomplete,
  transferWithoutSafeguard,
  transferSafeguardMismatch,
  unknownReference,
  processorNotListed,
];
