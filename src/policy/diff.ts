import { countryName, formatList, formatRetention, type Lang, legalBasisLabel, safeguardLabel } from './labels.ts';
import type { LocalizedText, Policy, Processor, Purpose, RetentionRule } from './policy.schema.ts';

/**
 * What changed in processing between two versions of the policy. A change is material when it
 * changes how data already collected is processed: who receives it, for what, on which basis,
 * where, and for how long. Texts, contact details and typos are editorial: they notify nobody.
 */

export type ChangeArea = 'processor' | 'category' | 'purpose' | 'retention' | 'text';

/** One field of an entry that changed; lists say what was added and removed. */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  added?: string[];
  removed?: string[];
}

export interface Change {
  area: ChangeArea;
  action: 'added' | 'removed' | 'changed';
  /** The entry's id (processor, category, purpose, retention rule) or, for texts, the policy section. */
  id: string;
  /** The entry's name in both languages, for the preview and the e-mail. */
  name: LocalizedText;
  material: boolean;
  fields: FieldChange[];
  /** The categories whose people this change concerns (empty when editorial). */
  categories: string[];
}

export interface PolicyDiff {
  changes: Change[];
  material: boolean;
  /** Every category whose people are affected by a material change, sorted. */
  affectedCategories: string[];
  /** Names of the categories and purposes either version mentions, to describe the changes later. */
  names: Record<string, LocalizedText>;
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** JSON with object keys sorted: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const text = (s: string): LocalizedText => ({ nl: s, en: s });

function listChange(field: string, before: readonly string[], after: readonly string[]): FieldChange | undefined {
  const added = after.filter((x) => !before.includes(x));
  const removed = before.filter((x) => !after.includes(x));
  return added.length || removed.length ? { field, added, removed } : undefined;
}

function valueChange(field: string, before: unknown, after: unknown): FieldChange | undefined {
  return same(before, after) ? undefined : { field, before, after };
}

const present = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);

/** Entries matched by id: added, removed, and pairs present in both. */
function matchById<T extends { id: string }>(before: readonly T[], after: readonly T[]) {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  return {
    added: after.filter((x) => !old.has(x.id)),
    removed: before.filter((x) => !now.has(x.id)),
    both: after.filter((x) => old.has(x.id)).map((x) => [old.get(x.id)!, x] as const),
  };
}

function processorChanges(before: readonly Processor[], after: readonly Processor[]): Change[] {
  const { added, removed, both } = matchById(before, after);
  const changes: Change[] = [
    ...added.map(
      (p): Change => ({
        area: 'processor',
        action: 'added',
        id: p.id,
        name: text(p.name),
        material: true,
        fields: present([
          listChange('categories', [], p.categories),
          listChange('locations', [], p.locations),
          listChange('purposes', [], p.purposes),
        ]),
        categories: [...p.categories],
      }),
    ),
    ...removed.map(
      (p): Change => ({
        area: 'processor',
        action: 'removed',
        id: p.id,
        name: text(p.name),
        material: true,
        fields: [],
        categories: [...p.categories],
      }),
    ),
  ];
  for (const [old, now] of both) {
    // Who receives what, where, on which basis: material. Names, texts and the agreement's paperwork: editorial.
    const categories = listChange('categories', old.categories, now.categories);
    const others = present([
      listChange('purposes', old.purposes, now.purposes),
      listChange('locations', old.locations, now.locations),
      valueChange('transferSafeguard', old.transferSafeguard?.mechanism, now.transferSafeguard?.mechanism),
      valueChange('role', old.role, now.role),
      valueChange('legalBasis', old.legalBasis, now.legalBasis),
    ]);
    const material = [...(categories ? [categories] : []), ...others];
    const editorial = !same({ ...old, ...PROCESSOR_MATERIAL_BLANK }, { ...now, ...PROCESSOR_MATERIAL_BLANK });
    if (material.length === 0 && !editorial) continue;
    // A new recipient for a category concerns the people with data in it; a change in where or why
    // concerns everyone whose data the party receives.
    const concerned =
      others.length > 0
        ? unique([...old.categories, ...now.categories])
        : [...(categories?.added ?? []), ...(categories?.removed ?? [])];
    changes.push({
      area: 'processor',
      action: 'changed',
      id: now.id,
      name: text(now.name),
      material: material.length > 0,
      fields: material.length > 0 ? material : [{ field: 'text' }],
      categories: material.length > 0 ? concerned : [],
    });
  }
  return changes;
}

const PROCESSOR_MATERIAL_BLANK = {
  categories: [],
  purposes: [],
  locations: [],
  transferSafeguard: undefined,
  role: undefined,
  legalBasis: undefined,
};

function categoryChanges(before: Policy['categories'], after: Policy['categories']): Change[] {
  const { added, removed, both } = matchById(before, after);
  const changes: Change[] = [
    ...added.map(
      (c): Change => ({
        area: 'category',
        action: 'added',
        id: c.id,
        name: c.name,
        material: true,
        fields: [],
        categories: [c.id],
      }),
    ),
    ...removed.map(
      (c): Change => ({
        area: 'category',
        action: 'removed',
        id: c.id,
        name: c.name,
        material: true,
        fields: [],
        categories: [c.id],
      }),
    ),
  ];
  for (const [old, now] of both) {
    if (same(old, now)) continue;
    // A category's names and examples are words; whether it is special (Art. 9) is not.
    const special = valueChange('special', old.special, now.special);
    changes.push({
      area: 'category',
      action: 'changed',
      id: now.id,
      name: now.name,
      material: special !== undefined,
      fields: special ? [special] : [{ field: 'text' }],
      categories: special ? [now.id] : [],
    });
  }
  return changes;
}

function purposeChanges(before: readonly Purpose[], after: readonly Purpose[]): Change[] {
  const { added, removed, both } = matchById(before, after);
  const changes: Change[] = [
    ...added.map(
      (p): Change => ({
        area: 'purpose',
        action: 'added',
        id: p.id,
        name: p.name,
        material: true,
        fields: present([
          valueChange('legalBasis', undefined, p.legalBasis),
          listChange('categories', [], p.categories),
        ]),
        categories: [...p.categories],
      }),
    ),
    ...removed.map(
      (p): Change => ({
        area: 'purpose',
        action: 'removed',
        id: p.id,
        name: p.name,
        material: true,
        fields: [],
        categories: [...p.categories],
      }),
    ),
  ];
  for (const [old, now] of both) {
    if (same(old, now)) continue;
    const basis = valueChange('legalBasis', old.legalBasis, now.legalBasis);
    const categories = listChange('categories', old.categories, now.categories);
    const material = present([basis, categories]);
    changes.push({
      area: 'purpose',
      action: 'changed',
      id: now.id,
      name: now.name,
      material: material.length > 0,
      fields: material.length > 0 ? material : [{ field: 'text' }],
      categories: basis
        ? unique([...old.categories, ...now.categories])
        : [...(categories?.added ?? []), ...(categories?.removed ?? [])],
    });
  }
  return changes;
}

/** A rule with the financial year its term counts from, when it counts from one (AWR art. 52(4)). */
type RuleInYear = RetentionRule & { financialYearEnd?: string };

const inYear = (policy: Policy): RuleInYear[] =>
  policy.retention.rules.map((r) => (r.until ? { ...r, financialYearEnd: policy.controller.financialYearEnd } : r));

/** The parts of a retention rule that decide how long data is kept. */
const keeping = (r: RuleInYear) => ({
  whileClient: r.whileClient,
  term: r.term ?? null,
  from: r.from ?? null,
  ...(r.until ? { until: r.until, financialYearEnd: r.financialYearEnd ?? '12-31' } : {}),
  legalHold: r.legalHold ?? null,
});

function retentionChanges(before: readonly RuleInYear[], after: readonly RuleInYear[]): Change[] {
  const { added, removed, both } = matchById(before, after);
  const changes: Change[] = [
    ...added.map(
      (r): Change => ({
        area: 'retention',
        action: 'added',
        id: r.id,
        name: r.title,
        material: true,
        fields: [{ field: 'term', after: keeping(r) }],
        categories: [...r.categories],
      }),
    ),
    ...removed.map(
      (r): Change => ({
        area: 'retention',
        action: 'removed',
        id: r.id,
        name: r.title,
        material: true,
        fields: [{ field: 'term', before: keeping(r) }],
        categories: [...r.categories],
      }),
    ),
  ];
  for (const [old, now] of both) {
    if (same(old, now)) continue;
    const term = valueChange('term', keeping(old), keeping(now));
    const categories = listChange('categories', old.categories, now.categories);
    const material = present([term, categories]);
    changes.push({
      area: 'retention',
      action: 'changed',
      id: now.id,
      name: now.title,
      material: material.length > 0,
      fields: material.length > 0 ? material : [{ field: 'text' }],
      categories: term
        ? unique([...old.categories, ...now.categories])
        : [...(categories?.added ?? []), ...(categories?.removed ?? [])],
    });
  }
  return changes;
}

/** Sections compared as a whole for editorial changes; the label and the date always change. */
const TEXT_SECTIONS = [
  'controller',
  'introduction',
  'processing',
  'disclosures',
  'rights',
  'cookies',
  'changes',
  'security',
  'dataSubjects',
] as const;

const SECTION_NAMES: Record<(typeof TEXT_SECTIONS)[number] | 'retention' | 'purposes', LocalizedText> = {
  controller: { nl: 'Contactgegevens', en: 'Contact details' },
  introduction: { nl: 'Over ons privacybeleid', en: 'About our privacy policy' },
  processing: { nl: 'Over de gegevensverwerking', en: 'About the processing' },
  disclosures: { nl: 'Medewerking aan onderzoek', en: 'Cooperation with investigations' },
  rights: { nl: 'Uw rechten', en: 'Your rights' },
  cookies: { nl: 'Cookies', en: 'Cookies' },
  changes: { nl: 'Wijzigingen in het privacybeleid', en: 'Changes to this policy' },
  security: { nl: 'Beveiliging', en: 'Security' },
  dataSubjects: { nl: 'Betrokkenen', en: 'Data subjects' },
  retention: { nl: 'Bewaartermijnen', en: 'Retention' },
  purposes: { nl: 'Doel van de gegevensverwerking', en: 'Purposes' },
};

function textChanges(before: Policy, after: Policy): Change[] {
  const changes: Change[] = [];
  const section = (id: keyof typeof SECTION_NAMES): Change => ({
    area: 'text',
    action: 'changed',
    id,
    name: SECTION_NAMES[id],
    material: false,
    fields: [],
    categories: [],
  });
  for (const id of TEXT_SECTIONS) if (!same(before[id], after[id])) changes.push(section(id));
  if (!same(before.retention.intro, after.retention.intro)) changes.push(section('retention'));
  if (!same(before.purposes.sections, after.purposes.sections)) changes.push(section('purposes'));
  return changes;
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/**
 * The changes in processing from `before` to `after`. `affectedCategories` are the categories whose
 * people a material change concerns; the notification goes to exactly the people with data in them.
 */
export function diffPolicies(before: Policy, after: Policy): PolicyDiff {
  const changes = [
    ...processorChanges(before.processors, after.processors),
    ...categoryChanges(before.categories, after.categories),
    ...purposeChanges(before.purposes.items, after.purposes.items),
    ...retentionChanges(inYear(before), inYear(after)),
    ...textChanges(before, after),
  ];
  const material = changes.some((c) => c.material);
  const affectedCategories = unique(changes.filter((c) => c.material).flatMap((c) => c.categories)).sort();
  const names: Record<string, LocalizedText> = {};
  for (const p of [before, after]) {
    for (const c of p.categories) names[c.id] = c.name;
    for (const c of p.purposes.items) names[`purpose:${c.id}`] = c.name;
  }
  return { changes, material, affectedCategories, names };
}

const WORDS = {
  nl: {
    processor: { added: 'Nieuwe ontvanger', removed: 'Geen ontvanger meer', changed: 'Gewijzigd bij' },
    category: { added: 'Nieuw soort gegevens', removed: 'Soort gegevens vervalt', changed: 'Gewijzigd soort gegevens' },
    purpose: { added: 'Nieuw doel', removed: 'Doel vervalt', changed: 'Gewijzigd doel' },
    retention: { added: 'Nieuwe bewaartermijn', removed: 'Bewaartermijn vervalt', changed: 'Gewijzigde bewaartermijn' },
    text: { added: 'Tekst aangepast', removed: 'Tekst aangepast', changed: 'Tekst aangepast' },
    receives: 'ontvangt',
    nowAlso: 'ontvangt nu ook',
    noLonger: 'ontvangt niet meer',
    locations: 'verwerkt in',
    locationsAdded: 'verwerkt nu ook in',
    locationsRemoved: 'verwerkt niet meer in',
    purposesAdded: 'nu ook voor',
    purposesRemoved: 'niet meer voor',
    safeguard: 'doorgifte',
    role: 'rol',
    basis: 'grondslag',
    categoriesAdded: 'nu ook',
    categoriesRemoved: 'niet meer',
    special: 'bijzonder persoonsgegeven',
    notSpecial: 'geen bijzonder persoonsgegeven meer',
    none: 'geen',
    wording: 'alleen de tekst',
    was: 'was',
  },
  en: {
    processor: { added: 'New recipient', removed: 'No longer a recipient', changed: 'Changed at' },
    category: { added: 'New kind of data', removed: 'Kind of data dropped', changed: 'Changed kind of data' },
    purpose: { added: 'New purpose', removed: 'Purpose dropped', changed: 'Changed purpose' },
    retention: { added: 'New retention term', removed: 'Retention term dropped', changed: 'Changed retention term' },
    text: { added: 'Text edited', removed: 'Text edited', changed: 'Text edited' },
    receives: 'receives',
    nowAlso: 'now also receives',
    noLonger: 'no longer receives',
    locations: 'processes in',
    locationsAdded: 'now also processes in',
    locationsRemoved: 'no longer processes in',
    purposesAdded: 'now also for',
    purposesRemoved: 'no longer for',
    safeguard: 'transfer',
    role: 'role',
    basis: 'legal basis',
    categoriesAdded: 'now also',
    categoriesRemoved: 'no longer',
    special: 'special category data',
    notSpecial: 'no longer special category data',
    none: 'none',
    wording: 'wording only',
    was: 'was',
  },
} as const;

/** A change in plain words, e.g. "Nieuwe ontvanger: Klaviyo — ontvangt beoordelingen; verwerkt in Verenigde Staten". */
export function describeChange(change: Change, lang: Lang, names: PolicyDiff['names'] = {}): string {
  const w = WORDS[lang];
  const label = (id: string) => names[id]?.[lang]?.toLowerCase() ?? id;
  const purpose = (id: string) => names[`purpose:${id}`]?.[lang]?.toLowerCase() ?? id;
  const countries = (codes: readonly string[]) =>
    formatList(
      codes.map((c) => countryName(c, lang)),
      lang,
    );
  const cats = (ids: readonly string[]) => formatList(ids.map(label), lang);
  const parts: string[] = [];
  for (const f of change.fields) {
    const added = f.added ?? [];
    const removed = f.removed ?? [];
    switch (f.field) {
      case 'categories':
        if (change.area === 'processor') {
          if (change.action === 'added') parts.push(`${w.receives} ${cats(added)}`);
          else {
            if (added.length) parts.push(`${w.nowAlso} ${cats(added)}`);
            if (removed.length) parts.push(`${w.noLonger} ${cats(removed)}`);
          }
        } else {
          if (added.length) parts.push(`${w.categoriesAdded}: ${cats(added)}`);
          if (removed.length) parts.push(`${w.categoriesRemoved}: ${cats(removed)}`);
        }
        break;
      case 'locations':
        if (change.action === 'added') {
          if (added.length) parts.push(`${w.locations} ${countries(added)}`);
        } else {
          if (added.length) parts.push(`${w.locationsAdded} ${countries(added)}`);
          if (removed.length) parts.push(`${w.locationsRemoved} ${countries(removed)}`);
        }
        break;
      case 'purposes':
        if (added.length) parts.push(`${w.purposesAdded} ${formatList(added.map(purpose), lang)}`);
        if (removed.length) parts.push(`${w.purposesRemoved} ${formatList(removed.map(purpose), lang)}`);
        break;
      case 'transferSafeguard':
        parts.push(
          `${w.safeguard}: ${f.after ? safeguardLabel(f.after as never, lang) : w.none} (${w.was} ${f.before ? safeguardLabel(f.before as never, lang) : w.none})`,
        );
        break;
      case 'role':
        parts.push(`${w.role}: ${String(f.after)} (${w.was} ${String(f.before)})`);
        break;
      case 'legalBasis':
        parts.push(
          `${w.basis}: ${f.after ? legalBasisLabel(f.after as never, lang).toLowerCase() : w.none}` +
            (f.before ? ` (${w.was} ${legalBasisLabel(f.before as never, lang).toLowerCase()})` : ''),
        );
        break;
      case 'special':
        parts.push(f.after ? w.special : w.notSpecial);
        break;
      case 'term': {
        const term = (k: unknown) => {
          if (!k) return w.none;
          const r = k as ReturnType<typeof keeping>;
          return formatRetention(
            {
              whileClient: r.whileClient,
              term: r.term ?? undefined,
              from: r.from ?? undefined,
              until: 'until' in r ? r.until : undefined,
            },
            lang,
            'financialYearEnd' in r ? r.financialYearEnd : undefined,
          );
        };
        if (change.action === 'added') parts.push(term(f.after));
        else if (change.action === 'removed') parts.push(`${w.was} ${term(f.before)}`);
        else parts.push(`${term(f.after)} (${w.was} ${term(f.before)})`);
        break;
      }
      case 'text':
        parts.push(w.wording);
        break;
    }
  }
  const head = `${w[change.area][change.action]}: ${change.name[lang]}`;
  return parts.length ? `${head} — ${parts.join('; ')}` : head;
}
