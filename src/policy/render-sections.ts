import {
  countryName,
  formatCookieLifetime,
  formatList,
  formatRetention,
  formatTerm,
  isInEea,
  type Lang,
  legalBasisArticle,
  legalBasisLabel,
  noAutomatedDecisions,
  requirementLabel,
  roleDescription,
  safeguardLabel,
  sourceInWords,
} from './labels.ts';
import type { Category, LegalBasis, Policy, Processor, RetentionRule, TextSection } from './policy.schema.ts';
import { type Block, type DocSection, type Inline, link, type Rich } from './render-doc.ts';
import { pageWords } from './render-words.ts';

/** One builder per section of the page, in the seed policy's order (see render-model.ts). */

type Fact = { label: string; value: Rich };

const h3 = (text: string): Block => ({ kind: 'heading', level: 3, text });
const h4 = (text: string): Block => ({ kind: 'heading', level: 4, text });
const text = (t: string): Block => ({ kind: 'text', text: t });

function categoryNames(ids: readonly string[], policy: Policy, lang: Lang): string {
  // An unknown id is shown as is: the linter reports it, the page should still render.
  const names = ids.map((id) => policy.categories.find((c) => c.id === id)?.name[lang] ?? id);
  return formatList(names, lang);
}

function basisInWords(basis: LegalBasis, lang: Lang): string {
  return `${legalBasisLabel(basis, lang)} (${legalBasisArticle(basis, lang)})`;
}

function categoryLine(category: Category, lang: Lang): Rich {
  const examples = formatList(
    category.examples.map((e) => e[lang]),
    lang,
  );
  const detail = [examples, category.description?.[lang]].filter(Boolean).join('. ');
  return [detail ? `${category.name[lang]}: ${detail}` : category.name[lang]];
}

/** The compact fact lines under a party: what it receives, why, on what basis, where. */
function partyFacts(p: Processor, policy: Policy, lang: Lang, withPurpose = true): Fact[] {
  const w = pageWords(lang);
  const facts: Fact[] = [];
  if (p.legalName) facts.push({ label: w.company, value: [p.legalName] });
  if (p.role !== 'processor' || p.controllerFor.length > 0)
    facts.push({ label: w.role, value: [roleDescription(p.role, p.controllerFor.length > 0, lang)] });
  if (p.controllerFor.length > 0) facts.push({ label: w.ownPurposes, value: ownPurposes(p, lang) });
  if (p.categories.length) facts.push({ label: w.receives, value: [categoryNames(p.categories, policy, lang)] });
  if (withPurpose && p.purpose) facts.push({ label: w.purpose, value: [p.purpose[lang]] });
  if (p.legalBasis) facts.push({ label: w.legalBasis, value: [basisInWords(p.legalBasis, lang)] });
  if (p.locations.length) {
    facts.push({
      label: w.where,
      value: [
        formatList(
          p.locations.map((c) => countryName(c, lang)),
          lang,
        ),
      ],
    });
  }
  const safeguard = p.transferSafeguard;
  if (safeguard && p.locations.some((c) => !isInEea(c))) {
    const words = safeguardLabel(safeguard.mechanism, lang);
    facts.push({
      label: w.transfer,
      value: [safeguard.description ? `${words}. ${safeguard.description[lang]}` : words],
    });
  }
  return facts;
}

/** What a party decides itself (GDPR Art. 28(10)), with the law it relies on and its own privacy statement. */
function ownPurposes(p: Processor, lang: Lang): Rich {
  const w = pageWords(lang);
  const items = p.controllerFor.map((c) => (c.basis ? `${c.purpose[lang]} (${c.basis[lang]})` : c.purpose[lang]));
  const text = `${items.join('; ')}.`;
  return p.privacyStatement ? [`${text} `, link(w.privacyStatementOf(p.name), p.privacyStatement)] : [text];
}

/**
 * Per category: whether the person must provide it and what follows if not (GDPR Art. 13(2)(e)),
 * and where it comes from (Art. 14(2)(f) when from another party).
 */
function provisionBlocks(policy: Policy, lang: Lang): Block[] {
  const w = pageWords(lang);
  const blocks: Block[] = [];
  const provided = policy.categories.filter((c) => c.provision);
  if (provided.length) {
    const rows = provided.map((c): Rich[] => [
      [c.name[lang]],
      [requirementLabel(c.provision!.requirement, lang)],
      [c.provision!.ifNotProvided[lang]],
    ]);
    blocks.push(h3(w.mustProvide), { kind: 'table', head: [w.data, w.required, w.ifNotProvided], rows });
  }
  const sourced = policy.categories.filter((c) => c.source);
  if (sourced.length) {
    const rows = sourced.map((c): Rich[] => [[c.name[lang]], [sourceInWords(c, policy, lang)]]);
    blocks.push(h3(w.sources), { kind: 'table', head: [w.data, w.origin], rows });
  }
  return blocks;
}

function partyBlocks(p: Processor, policy: Policy, lang: Lang): Block[] {
  const blocks: Block[] = [h4(p.name)];
  if (p.description) blocks.push(text(p.description[lang]));
  blocks.push({ kind: 'facts', items: partyFacts(p, policy, lang) });
  return blocks;
}

/** A titled block of free text from the file: introduction, disclosures, changes. */
export function textSection(section: TextSection, fallbackId: string, lang: Lang): DocSection {
  return { id: section.id ?? fallbackId, title: section.title[lang], blocks: [text(section.text[lang])] };
}

export function processingSection(policy: Policy, lang: Lang): DocSection {
  const w = pageWords(lang);
  const blocks: Block[] = [text(policy.processing.intro[lang])];
  if (policy.dataSubjects.length) {
    blocks.push(h3(w.dataSubjects), { kind: 'list', items: policy.dataSubjects.map((d) => [d[lang]]) });
  }
  if (policy.categories.length) {
    blocks.push(h3(w.categories), { kind: 'list', items: policy.categories.map((c) => categoryLine(c, lang)) });
  }
  blocks.push(...provisionBlocks(policy, lang));
  for (const section of policy.processing.sections) {
    blocks.push(h3(section.title[lang]));
    if (section.text) blocks.push(text(section.text[lang]));
    for (const id of section.processors) {
      const party = policy.processors.find((p) => p.id === id);
      if (party) blocks.push(...partyBlocks(party, policy, lang));
    }
  }
  // The section's intro promises to say which security techniques are used.
  if (policy.security.length) {
    blocks.push(h3(w.security), { kind: 'paragraph', content: [w.securityIntro] });
    blocks.push({ kind: 'list', items: policy.security.map((m) => [m[lang]]) });
  }
  return { id: 'gegevensverwerking', title: w.processing, blocks };
}

export function purposesSection(policy: Policy, lang: Lang): DocSection {
  const w = pageWords(lang);
  const blocks: Block[] = [];
  for (const section of policy.purposes.sections) blocks.push(h3(section.title[lang]), text(section.text[lang]));
  if (policy.purposes.items.length) {
    const rows = policy.purposes.items.map((p): Rich[] => {
      const name = p.description ? `${p.name[lang]}: ${p.description[lang]}` : p.name[lang];
      const basis = p.legalBasis ? basisInWords(p.legalBasis, lang) : w.notStated;
      const note = p.legalBasisNote ? `. ${p.legalBasisNote[lang]}` : '';
      return [[name], [basis + note], [categoryNames(p.categories, policy, lang)]];
    });
    blocks.push(h3(w.purposesTable), { kind: 'table', head: [w.purpose, w.legalBasis, w.data], rows });
  }
  return { id: 'doel', title: w.purposes, blocks };
}

function retentionNotes(rule: RetentionRule, lang: Lang): string {
  const w = pageWords(lang);
  const notes: string[] = [];
  if (rule.whileClient) notes.push(w.leavingIsErasure);
  if (rule.legalBasis) notes.push(`${rule.legalHold ? w.legalHold : w.legalBasis}: ${rule.legalBasis[lang]}.`);
  if (rule.sealed) notes.push(w.sealed);
  return notes.join(' ');
}

export function retentionSection(policy: Policy, lang: Lang): DocSection {
  const w = pageWords(lang);
  const rows = policy.retention.rules.map((rule): Rich[] => {
    const names = categoryNames(rule.categories, policy, lang);
    // "Register van verzoeken (Register van verzoeken)" says nothing twice.
    const what = names && names !== rule.title[lang] ? `${rule.title[lang]} (${names})` : rule.title[lang];
    return [[what], [formatRetention(rule, lang, policy.controller.financialYearEnd)], [retentionNotes(rule, lang)]];
  });
  const blocks: Block[] = [text(policy.retention.intro[lang])];
  if (rows.length) blocks.push({ kind: 'table', head: [w.data, w.retentionTerm, w.notes], rows });
  return { id: 'bewaartermijnen', title: w.retention, blocks };
}

function copiesInWords(policy: Policy, lang: Lang): string {
  const w = pageWords(lang);
  const { knownEmailOnly, otherChannelRequiresIdentification } = policy.rights.delivery;
  const first = knownEmailOnly ? w.copiesKnownOnly : w.copiesAny;
  return otherChannelRequiresIdentification && knownEmailOnly ? `${first}; ${w.copiesOtherWithId}` : first;
}

export function rightsSection(policy: Policy, lang: Lang): DocSection {
  const w = pageWords(lang);
  const { rights, controller } = policy;
  const contact = controller.privacyContact;
  const authority = rights.complaintAuthority;
  const facts: Fact[] = [
    {
      label: w.howToAsk,
      value: [`${w.howToAskText} ${contact.name}, `, link(contact.email, `mailto:${contact.email}`)],
    },
    { label: w.copies, value: [copiesInWords(policy, lang)] },
    {
      label: w.format,
      value: [
        formatList(
          rights.exportFormats.map((f) => f.toUpperCase()),
          lang,
        ),
      ],
    },
    { label: w.complaints, value: [authority.website ? link(authority.name, authority.website) : authority.name] },
  ];
  const automated = policy.automatedDecisions;
  if (automated) {
    const value = automated.used ? (automated.description?.[lang] ?? '') : noAutomatedDecisions(lang);
    facts.push({ label: w.automatedDecisions, value: [value] });
  }
  const blocks: Block[] = [
    text(rights.intro[lang]),
    { kind: 'paragraph', content: [w.answerWithin(formatTerm({ days: rights.answerWithinDays }, lang))] },
    { kind: 'facts', items: facts },
  ];
  for (const item of rights.items) blocks.push(h3(item.title[lang]), text(item.text[lang]));
  return { id: 'rechten', title: w.rights, blocks };
}

export function cookiesSection(policy: Policy, lang: Lang): DocSection {
  const w = pageWords(lang);
  const { cookies } = policy;
  const blocks: Block[] = [];
  if (cookies.intro) blocks.push(text(cookies.intro[lang]));
  if (cookies.categories.length) {
    const items = cookies.categories.map((c): Rich => {
      const when = c.required ? w.alwaysOn : w.onlyWithConsent;
      return [`${c.title[lang]} (${when}): ${c.description[lang]}`];
    });
    blocks.push({ kind: 'list', items });
  }
  blocks.push({ kind: 'paragraph', content: [w.askAgainAfter(formatTerm(cookies.consentValidFor, lang))] });
  for (const service of cookies.services) {
    const party = service.processor ? policy.processors.find((p) => p.id === service.processor) : undefined;
    const description = service.description ?? party?.description;
    blocks.push(h3(service.name));
    if (description) blocks.push(text(description[lang]));
    const facts: Fact[] = [
      { label: w.purpose, value: [service.purpose[lang]] },
      { label: w.consent, value: [service.consentRequired ? w.consentRequired : w.consentNotRequired] },
      ...(party ? partyFacts(party, policy, lang, false) : []),
    ];
    blocks.push({ kind: 'facts', items: facts });
  }
  const rows = cookies.services.flatMap((s) =>
    s.cookies.map((c): Rich[] => [[c.name], [s.provider], [c.purpose[lang]], [formatCookieLifetime(c.lifetime, lang)]]),
  );
  if (rows.length) {
    blocks.push(h3(w.cookieTable), { kind: 'table', head: [w.name, w.provider, w.purpose, w.lifetime], rows });
  }
  if (cookies.thirdParty) blocks.push(h3(cookies.thirdParty.title[lang]), text(cookies.thirdParty.text[lang]));
  return { id: 'cookies', title: w.cookies, blocks };
}

export function contactSection(policy: Policy, lang: Lang): DocSection {
  const w = pageWords(lang);
  const c = policy.controller;
  const mail = (address: string): Inline => link(address, `mailto:${address}`);
  const lines: Rich[] = [
    [c.name],
    [c.address.street],
    [`${c.address.postalCode} ${c.address.city}`],
    [c.address.country],
  ];
  if (c.phone) lines.push([`${w.phone} ${c.phone}`]);
  lines.push([`${w.email} `, mail(c.email)]);
  if (c.website) lines.push([link(c.website, c.website)]);
  if (c.chamberOfCommerce) lines.push([`${w.chamberOfCommerce} ${c.chamberOfCommerce}`]);
  const person: Rich[] = [[c.privacyContact.name], [`${w.email} `, mail(c.privacyContact.email)]];
  if (c.privacyContact.phone) person.push([`${w.phone} ${c.privacyContact.phone}`]);
  const blocks: Block[] = [{ kind: 'lines', lines }, h3(w.privacyContact), { kind: 'lines', lines: person }];
  return { id: 'contact', title: w.contact, blocks };
}
