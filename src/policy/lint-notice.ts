import { REF } from './lint-law.ts';
import { error, isBlankText, type LintRule, type RuleFinding, warning } from './lint-support.ts';
import type { Category } from './policy.schema.ts';

/** Rules about what the person must be told about their data beyond purpose and term (GDPR Art. 13-14). */

/** Collected from the person (given, or observed from their use): Art. 13 applies, not Art. 14. */
const collectedFromPerson = (c: Category) =>
  !c.source || c.source.origin === 'person' || c.source.origin === 'observed';

const categoryWithoutProvision: LintRule = {
  id: 'category-without-provision',
  reason:
    'For data collected from the person, the policy must say whether they must provide it (by law, by contract, or to conclude one) and what follows if they do not.',
  reference: REF.provision,
  check(policy) {
    const out: RuleFinding[] = [];
    policy.categories.forEach((c, i) => {
      if (!c.personalData || !collectedFromPerson(c)) return;
      if (!c.provision) {
        out.push(
          error(
            ['categories', i],
            `category "${c.id}" does not say whether the person must provide it and what follows if not (add "provision")`,
          ),
        );
      } else if (isBlankText(c.provision.ifNotProvided)) {
        out.push(
          error(
            ['categories', i, 'provision', 'ifNotProvided'],
            `category "${c.id}": say what follows if not provided`,
          ),
        );
      }
    });
    return out;
  },
};

const categoryWithoutSource: LintRule = {
  id: 'category-without-source',
  reason:
    'Data that does not come from the person must be told with its source, and whether that source is publicly accessible.',
  reference: REF.source,
  check(policy) {
    const parties = new Set(policy.processors.map((p) => p.id));
    const out: RuleFinding[] = [];
    policy.categories.forEach((c, i) => {
      const source = c.source;
      if (!c.personalData || source?.origin !== 'third-party') return;
      const at = ['categories', i, 'source'];
      if (source.party && !parties.has(source.party)) {
        out.push(error([...at, 'party'], `category "${c.id}": unknown party "${source.party}" as its source`));
      } else if (!source.party && isBlankText(source.description)) {
        out.push(
          error(at, `category "${c.id}" comes from another party but does not name it (add "party" or "description")`),
        );
      }
    });
    return out;
  },
};

const automatedDecisionsUnstated: LintRule = {
  id: 'automated-decisions-unstated',
  reason:
    'The person must be told whether decisions about them are made by automated means alone, and if so the logic and its consequences.',
  reference: REF.automatedDecisions,
  check(policy) {
    const stated = policy.automatedDecisions;
    if (!stated) {
      return [
        warning(
          ['automatedDecisions'],
          'the policy does not say whether decisions are made by automated means alone (add "automatedDecisions: { used: false }" or describe them)',
        ),
      ];
    }
    if (stated.used && isBlankText(stated.description)) {
      return [
        error(
          ['automatedDecisions', 'used'],
          'automated decisions are used: describe the logic involved and what it means for the person',
        ),
      ];
    }
    return [];
  },
};

export const NOTICE_RULES: readonly LintRule[] = [
  categoryWithoutProvision,
  categoryWithoutSource,
  automatedDecisionsUnstated,
];
