import type { AccessResult } from '../executor/executor.ts';
import {
  countryName,
  formatDate,
  formatRetention,
  isInEea,
  type Lang,
  legalBasisArticle,
  legalBasisLabel,
  noAutomatedDecisions,
  roleDescription,
  safeguardLabel,
  sourceInWords,
} from '../policy/labels.ts';
import type { DataOrigin, LegalBasis, Policy, Processor } from '../policy/policy.schema.ts';
import { answerWords } from './export-answer-words.ts';
import { collectionWord } from './export-fields.ts';
import { type AnswerInputs, HUB_CATEGORIES, type PendingPart, type SealedRecord } from './export-model.ts';

/**
 * What the access answer tells besides the data (GDPR Art. 15(1)(a)-(h), 15(2)), derived from the policy
 * for the categories held about this person, in words of the answer's language. One model for
 * data.json, index.html and the e-mail, so the three say the same.
 */
export interface AnswerFacts {
  /** Category ids held about the person (the shop's records, the hub, the sealed archive), in the policy's order. */
  held: string[];
  /** Art. 15(1)(b). */
  categories: Array<{ id: string; name: string }>;
  /** Art. 15(1)(a), with the legal basis (Art. 6(1)). */
  purposes: Array<{
    id: string;
    name: string;
    legalBasis: LegalBasis | null;
    basis: string;
    categories: string[];
    categoryNames: string[];
  }>;
  /** Art. 15(1)(d): per retention rule for a held category, the term in words. */
  retention: Array<{
    rule: string;
    title: string;
    categories: string[];
    categoryNames: string[];
    term: string;
    why?: string;
    legalHold?: string;
  }>;
  /** Art. 15(1)(c): every party that receives (or may hold) the person's data, by name. */
  recipients: Recipient[];
  /** Art. 15(1)(g): where each held category comes from. */
  sources: Array<{
    category: string;
    name: string;
    origin: DataOrigin;
    party?: string;
    source: string;
    publiclyAvailable: boolean;
  }>;
  /** Art. 15(2): recipients outside the EEA, with the safeguard. */
  transfers: Array<{
    recipient: string;
    name: string;
    countries: string[];
    countryNames: string[];
    mechanism: string | null;
    safeguard: string | null;
  }>;
  /** Art. 15(1)(h); null when the policy does not say (the linter warns about that). */
  automatedDecisions: { used: boolean; text: string } | null;
  /** Art. 15(1)(e)-(f). */
  rights: {
    items: Array<{ right: string; title: string }>;
    contact: { name: string; email: string };
    complaintAuthority: { name: string; website?: string };
  };
  sealed: Array<SealedRecord & { what: string; why: string; untilText: string }>;
  pending: Array<PendingPart & { name: string; text: string }>;
}

export interface Recipient {
  id: string;
  name: string;
  legalName?: string;
  service?: string;
  role: Processor['role'];
  roleText: string;
  /** What the party decides itself, as a controller of its own (Mollie's Wwft duties). */
  ownPurposes: string[];
  privacyStatement?: string;
  categories: string[];
  categoryNames: string[];
  locations: string[];
  countryNames: string[];
  /** Set when its part of the answer comes later: what happens, truthfully. */
  later?: string;
}

const DAY = 86_400_000;

/** A day in Dutch time, in words: "31 december 2033". */
export function dayInWords(at: string, lang: Lang): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return formatDate(at, lang);
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) return at;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(time);
  return formatDate(day, lang);
}

/**
 * The last day a sealed record is held, in words. The archive stores the instant the hold ends (for the
 * fiscal hold, midnight after the financial year's last day in Dutch time, AWR art. 52(4)); the person is
 * told the last day it is kept — "31 december 2033", not "1 januari 2034".
 */
export function lastDayHeld(until: string, lang: Lang): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(until)) return dayInWords(until, lang);
  const end = new Date(until);
  if (Number.isNaN(end.getTime())) return until;
  return dayInWords(new Date(end.getTime() - 1).toISOString(), lang);
}

/** The categories held about the person, in the policy's order. */
export function heldCategories(result: AccessResult, policy: Policy, inputs: AnswerInputs): string[] {
  const held = new Set<string>();
  for (const record of result.records) {
    for (const [field, category] of Object.entries(record.categories)) {
      const value = record.data[field];
      if (value !== null && value !== undefined && value !== '') held.add(category);
    }
  }
  for (const s of inputs.sealed ?? []) for (const c of sealedCategories(s, policy)) held.add(c);
  const hub = inputs.holdings;
  if (hub?.requests?.length || hub?.flags) held.add(HUB_CATEGORIES.requests);
  if (hub?.consents?.length) held.add(HUB_CATEGORIES.consents);
  if (hub?.analytics && hub.analytics.clientIds.length + hub.analytics.userIds.length > 0)
    held.add(HUB_CATEGORIES.analytics);
  return policy.categories.map((c) => c.id).filter((id) => held.has(id));
}

function sealedCategories(s: SealedRecord, policy: Policy): string[] {
  return s.categories ?? policy.retention.rules.find((r) => r.legalHold === s.hold)?.categories ?? [];
}

const overlap = (a: readonly string[], b: ReadonlySet<string>) => a.filter((x) => b.has(x));

/** Builds the answer's facts for one person. */
export function answerFacts(result: AccessResult, policy: Policy, lang: Lang, inputs: AnswerInputs = {}): AnswerFacts {
  const held = heldCategories(result, policy, inputs);
  const heldSet = new Set(held);
  const name = (id: string) => policy.categories.find((c) => c.id === id)?.name[lang] ?? id;
  const names = (ids: readonly string[]) => ids.map(name);
  const pending = pendingParts(result, policy, lang, inputs);

  const purposes = policy.purposes.items
    .filter((p) => overlap(p.categories, heldSet).length > 0)
    .map((p) => {
      const categories = overlap(p.categories, heldSet);
      const basis = p.legalBasis
        ? `${legalBasisLabel(p.legalBasis, lang)} (${legalBasisArticle(p.legalBasis, lang)})`
        : answerWords(lang).notStated;
      const note = p.legalBasisNote ? `. ${p.legalBasisNote[lang]}` : '';
      return {
        id: p.id,
        name: p.name[lang],
        legalBasis: p.legalBasis ?? null,
        basis: basis + note,
        categories,
        categoryNames: names(categories),
      };
    });

  const retention = policy.retention.rules
    .filter((r) => overlap(r.categories, heldSet).length > 0)
    .map((r) => {
      const categories = overlap(r.categories, heldSet);
      return {
        rule: r.id,
        title: r.title[lang],
        categories,
        categoryNames: names(categories),
        term: formatRetention(r, lang),
        ...(r.legalBasis ? { why: r.legalBasis[lang] } : {}),
        ...(r.legalHold ? { legalHold: r.legalHold } : {}),
      };
    });

  const recipients = recipientsOf(result, policy, lang, heldSet, pending);
  const transfers = recipients.flatMap((r) => {
    const outside = r.locations.filter((c) => !isInEea(c));
    if (outside.length === 0) return [];
    const safeguard = policy.processors.find((p) => p.id === r.id)?.transferSafeguard;
    return [
      {
        recipient: r.id,
        name: r.name,
        countries: outside,
        countryNames: outside.map((c) => countryName(c, lang)),
        mechanism: safeguard?.mechanism ?? null,
        safeguard: safeguard
          ? [safeguardLabel(safeguard.mechanism, lang), safeguard.description?.[lang]].filter(Boolean).join('. ')
          : null,
      },
    ];
  });

  const sources = held.map((id) => {
    const category = policy.categories.find((c) => c.id === id)!;
    return {
      category: id,
      name: category.name[lang],
      origin: category.source?.origin ?? 'person',
      ...(category.source?.party ? { party: category.source.party } : {}),
      source: sourceInWords(category, policy, lang),
      publiclyAvailable: category.source?.publiclyAvailable ?? false,
    };
  });

  const stated = policy.automatedDecisions;
  const w = answerWords(lang);
  return {
    held,
    categories: held.map((id) => ({ id, name: name(id) })),
    purposes,
    retention,
    recipients,
    sources,
    transfers,
    automatedDecisions: stated
      ? { used: stated.used, text: stated.used ? (stated.description?.[lang] ?? '') : noAutomatedDecisions(lang) }
      : null,
    rights: {
      items: policy.rights.items.map((i) => ({ right: i.right, title: i.title[lang] })),
      contact: { name: policy.controller.privacyContact.name, email: policy.controller.privacyContact.email },
      complaintAuthority: { ...policy.rights.complaintAuthority },
    },
    sealed: (inputs.sealed ?? []).map((s) => {
      const rule = policy.retention.rules.find((r) => r.legalHold === s.hold);
      const what =
        collectionWord(s.collection, lang) ?? rule?.title[lang] ?? names(sealedCategories(s, policy)).join(', ');
      const why = rule?.legalBasis ? `${w.legalHold}: ${rule.legalBasis[lang]}` : w.legalHold;
      return { ...s, what, why, untilText: lastDayHeld(s.until, lang) };
    }),
    pending,
  };
}

/**
 * The parts that come later: as passed in, or, when the handling passes none, the processors without an
 * API (the officer asks them by hand, within their term). "We asked X" only for a request actually sent.
 */
function pendingParts(result: AccessResult, policy: Policy, lang: Lang, inputs: AnswerInputs): AnswerFacts['pending'] {
  const start = new Date(result.generatedAt).getTime();
  const parts: PendingPart[] =
    inputs.pending ??
    result.manualTasks.map((t) => ({
      processor: t.processor,
      dueAt: new Date(start + t.dueInDays * DAY).toISOString(),
      asked: false,
    }));
  const w = answerWords(lang);
  const seen = new Set<string>();
  return parts
    .filter((p) => !seen.has(p.processor) && seen.add(p.processor))
    .map((p) => {
      const name = policy.processors.find((x) => x.id === p.processor)?.name ?? p.processor;
      const text = p.asked
        ? w.askedAlready(name, dayInWords(p.dueAt, lang))
        : w.officerWillAsk(name, dayInWords(p.dueAt, lang));
      return { ...p, name, text };
    });
}

/** The policy's parties that receive a held category, and every party whose part comes later. */
function recipientsOf(
  result: AccessResult,
  policy: Policy,
  lang: Lang,
  held: ReadonlySet<string>,
  pending: AnswerFacts['pending'],
): Recipient[] {
  const ids = new Set([
    ...policy.processors.filter((p) => overlap(p.categories, held).length > 0).map((p) => p.id),
    ...result.processors.map((p) => p.id),
    ...pending.map((p) => p.processor),
  ]);
  const out: Recipient[] = [];
  for (const id of ids) {
    const p = policy.processors.find((x) => x.id === id);
    if (!p) continue;
    const categories = overlap(p.categories, held);
    const later = pending.find((x) => x.processor === id)?.text;
    out.push({
      id,
      name: p.name,
      ...(p.legalName ? { legalName: p.legalName } : {}),
      service: p.service[lang],
      role: p.role,
      roleText: roleDescription(p.role, p.controllerFor.length > 0, lang),
      ownPurposes: p.controllerFor.map((c) => (c.basis ? `${c.purpose[lang]} (${c.basis[lang]})` : c.purpose[lang])),
      ...(p.privacyStatement ? { privacyStatement: p.privacyStatement } : {}),
      categories,
      categoryNames: categories.map((c) => policy.categories.find((x) => x.id === c)?.name[lang] ?? c),
      locations: p.locations,
      countryNames: p.locations.map((c) => countryName(c, lang)),
      ...(later ? { later } : {}),
    });
  }
  return out;
}
