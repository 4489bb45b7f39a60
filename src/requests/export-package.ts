import type { Value } from '../connectors/connector.ts';
import type { ConsentRecord } from '../consent/contact-consent.types.ts';
import type { AccessResult } from '../executor/executor.ts';
import { type CsvCell, toCsv } from '../lib/csv.ts';
import { zipFiles } from '../lib/zip.ts';
import type { AccessAnswerSummary } from '../notify/templates/answer.ts';
import { formatDate, formatList, type Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import type { DataLabels } from './data-labels.ts';
import { type AnswerFacts, answerFacts } from './export-answer.ts';
import { answerWords } from './export-answer-words.ts';
import { renderExportIndex } from './export-index.tsx';
import {
  type AnswerInputs,
  answerHasContent,
  type CollectionRecords,
  groupByCollection,
  type HubHoldings,
  mainCategory,
} from './export-model.ts';
import { portableCategories, portableHoldings, portableResult } from './export-portability.ts';
import { exportWords } from './export-words.ts';

/**
 * The answer to an access or portability request: a zip with the person's data three ways —
 * `data.json` to take elsewhere, one CSV per collection for a spreadsheet, `index.html` to read —
 * and a README; with what GDPR Art. 15 asks besides the data (purposes, recipients, terms, sources,
 * transfers, rights), what the hub itself holds and what is sealed or still to come. The same inputs
 * always give the same bytes.
 */

export const EXPORT_FORMAT = 'inzage-export/1';

export interface ExportOptions extends AnswerInputs {
  lang: Lang;
  /** When the package was made; defaults to the access result's time. */
  generatedAt?: Date;
  /** The person's contact-consent history, oldest first; the same as `holdings.consents`. */
  consents?: ConsentRecord[];
  /** The data map's words for collections and fields (index.html); the defaults without. */
  labels?: DataLabels;
}

/** The shape of `data.json`. */
export interface ExportData {
  format: typeof EXPORT_FORMAT;
  /** `portability`: records and hub data only as far as Art. 20 covers them (see `portability`). */
  type: 'access' | 'portability';
  /** The language of the words in this file (names of purposes, terms, texts). */
  language: Lang;
  subject: { email: string };
  generatedAt: string;
  controller: { name: string; email: string };
  records: Array<{
    system: string;
    collection: string;
    key: string;
    category: string | null;
    categories: Record<string, string>;
    data: Record<string, Value>;
  }>;
  processors: Array<{ id: string; name: string; role: string; locations: string[]; categories: string[] }>;
  manualTasks: Array<{ processor: string; contact: string; dueInDays: number }>;
  /** Every choice about contact consent: purpose, granted, the exact text shown, its version, source, time. */
  consents: ConsentRecord[];
  /** GDPR Art. 15(1)(b): the kinds of data held about the person. */
  categories: AnswerFacts['categories'];
  /** Art. 15(1)(a): the purposes, each with its legal basis and the person's categories it uses. */
  purposes: AnswerFacts['purposes'];
  /** Art. 15(1)(d): how long each category is kept, in words. */
  retention: AnswerFacts['retention'];
  /** Art. 15(1)(c): the recipients by name, with their role and where they process. */
  recipients: AnswerFacts['recipients'];
  /** Art. 15(1)(g): where each category comes from. */
  sources: AnswerFacts['sources'];
  /** Art. 15(2): recipients outside the EEA and the safeguard. */
  transfers: AnswerFacts['transfers'];
  /** Art. 15(1)(h); null when the policy does not say. */
  automatedDecisions: AnswerFacts['automatedDecisions'];
  /** Art. 15(1)(e)-(f): the rights, the privacy contact and where to complain. */
  rights: AnswerFacts['rights'];
  /** Records kept under a legal hold in the closed archive: what, how many, until when, why. */
  sealed: AnswerFacts['sealed'];
  /** Parts that come later, and what happens to get them. */
  pending: AnswerFacts['pending'];
  /** What the hub itself holds about the person besides consents: requests, restriction or objection, Analytics ids. */
  hub: Omit<HubHoldings, 'consents'>;
  /** For a portability request: the categories it covers. */
  portability?: { categories: string[] };
}

/** Builds the export package (a zip) for one person's access result. */
export function buildExportPackage(result: AccessResult, policy: Policy, options: ExportOptions): Uint8Array {
  return zipAnswer(result, policy, options, prepareAnswer(result, policy, options));
}

/**
 * Everything the request handling needs for an access or portability answer, from one set of inputs:
 * the zip, whether there is anything to tell (false: send `no-data` instead), and the e-mail's account
 * of the answer (the `answer` of `access-ready`).
 */
export function buildAccessAnswer(
  result: AccessResult,
  policy: Policy,
  options: ExportOptions,
): { zip: Uint8Array; hasContent: boolean; summary: AccessAnswerSummary } {
  const answer = prepareAnswer(result, policy, options);
  return {
    zip: zipAnswer(result, policy, options, answer),
    hasContent: answer.hasContent,
    summary: mailSummary(answer.facts, options.lang),
  };
}

/** A file's text as UTF-8 bytes. */
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function zipAnswer(result: AccessResult, policy: Policy, options: ExportOptions, answer: PreparedAnswer): Uint8Array {
  const generatedAt = options.generatedAt ?? new Date(result.generatedAt);
  const files: Record<string, Uint8Array> = {
    'index.html': utf8(
      renderExportIndex({
        ...answer,
        policy,
        lang: options.lang,
        generatedAt,
        ...(options.labels ? { labels: options.labels } : {}),
      }),
    ),
    'data.json': utf8(`${JSON.stringify(exportData(answer, policy, options.lang, generatedAt), null, 2)}\n`),
    'README.txt': utf8(readme(policy, options.lang, generatedAt)),
  };
  for (const [path, csv] of collectionCsvs(answer.shown)) files[path] = utf8(csv);
  return zipFiles(files, generatedAt);
}

/** What the package shows: the records and hub data the request type gives, and the facts about them. */
export interface PreparedAnswer {
  type: 'access' | 'portability';
  /** The result as the package shows it: everything for access, the portable part for portability. */
  shown: AccessResult;
  holdings: HubHoldings;
  facts: AnswerFacts;
  /** False when there is nothing at all to tell: the "we process no data about you" page. */
  hasContent: boolean;
}

export function prepareAnswer(result: AccessResult, policy: Policy, options: ExportOptions): PreparedAnswer {
  const inputs: AnswerInputs = {
    ...options,
    holdings: { ...options.holdings, consents: options.holdings?.consents ?? options.consents ?? [] },
  };
  const type = options.type ?? 'access';
  const portability = type === 'portability';
  return {
    type,
    shown: portability ? portableResult(result, policy) : result,
    holdings: portability ? portableHoldings(inputs.holdings, policy) : (inputs.holdings ?? {}),
    // The facts are about everything held, whatever the request type gives of it.
    facts: answerFacts(result, policy, options.lang, inputs),
    hasContent: answerHasContent(result, inputs),
  };
}

/**
 * The access e-mail's account of the answer (`answer` of the `access-ready` message): the same facts as
 * the package, from the same inputs, in the request's language.
 */
export function accessAnswerSummary(result: AccessResult, policy: Policy, options: ExportOptions): AccessAnswerSummary {
  return mailSummary(prepareAnswer(result, policy, options).facts, options.lang);
}

/** The e-mail's account of the same facts (the `answer` of the access-ready message), in the same words. */
function mailSummary(facts: AnswerFacts, lang: Lang): AccessAnswerSummary {
  const until = lang === 'nl' ? 'tot en met' : 'until';
  return {
    purposes: facts.purposes.map((p) => `${p.name}: ${p.basis}`),
    categories: facts.categories.map((c) => c.name),
    recipients: facts.recipients.map((r) => `${r.name} (${r.roleText})`),
    retention: facts.retention.map((r) => `${r.title}: ${r.term}`),
    sources: facts.sources.filter((s) => s.origin === 'third-party').map((s) => `${s.name}: ${s.source}`),
    transfers: facts.transfers.map(
      (t) => `${t.name} (${formatList(t.countryNames, lang)}): ${t.safeguard ?? answerWords(lang).notStated}`,
    ),
    sealed: facts.sealed.map((s) => `${s.what}: ${s.count}, ${until} ${s.untilText} (${s.why})`),
    pending: facts.pending.map((p) => p.text),
    ...(facts.automatedDecisions ? { automatedDecisions: facts.automatedDecisions.text } : {}),
    rights: facts.rights.items.map((i) => i.title),
  };
}

/** The download's file name, e.g. `inzage-export-2026-11-26.zip`. */
export function exportFileName(generatedAt: Date): string {
  return `inzage-export-${generatedAt.toISOString().slice(0, 10)}.zip`;
}

export function exportData(answer: PreparedAnswer, policy: Policy, lang: Lang, generatedAt: Date): ExportData {
  const { shown, holdings, facts } = answer;
  const { consents = [], ...hub } = holdings;
  return {
    format: EXPORT_FORMAT,
    type: answer.type,
    language: lang,
    subject: { email: shown.subject.email },
    generatedAt: generatedAt.toISOString(),
    controller: { name: policy.controller.name, email: policy.controller.email },
    records: shown.records.map((r) => ({
      system: r.system,
      collection: r.collection,
      key: r.key,
      category: mainCategory(r),
      categories: r.categories,
      data: r.data,
    })),
    processors: shown.processors.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      locations: p.locations,
      categories: p.categories,
    })),
    manualTasks: shown.manualTasks.map((t) => ({
      processor: t.processor,
      contact: t.contact,
      dueInDays: t.dueInDays,
    })),
    consents: consents.map((c) => ({
      purpose: c.purpose,
      granted: c.granted,
      text: c.text,
      version: c.version,
      source: c.source,
      at: c.at,
    })),
    categories: facts.categories,
    purposes: facts.purposes,
    retention: facts.retention,
    recipients: facts.recipients,
    sources: facts.sources,
    transfers: facts.transfers,
    automatedDecisions: facts.automatedDecisions,
    rights: facts.rights,
    sealed: facts.sealed,
    pending: facts.pending,
    hub,
    ...(answer.type === 'portability' ? { portability: { categories: [...portableCategories(policy)] } } : {}),
  };
}

/**
 * `csv/<system>/<collection>.csv` per collection, made to open right in a Dutch Excel or LibreOffice:
 * `;` between fields (the comma is the decimal sign there), UTF-8 with a BOM so é and ë read right, CRLF,
 * quoted as RFC 4180 asks. The header keeps the column names, like data.json: these files are for
 * programs and spreadsheets; index.html is the one to read.
 */
function collectionCsvs(result: AccessResult): Array<[string, string]> {
  const taken = new Set<string>();
  return groupByCollection(result.records).map((group) => {
    const base = `csv/${safeName(group.system)}/${safeName(group.collection)}`;
    let path = `${base}.csv`;
    for (let n = 2; taken.has(path); n++) path = `${base}-${n}.csv`;
    taken.add(path);
    return [path, collectionCsv(group)];
  });
}

function collectionCsv(group: CollectionRecords): string {
  const rows = group.records.map((r) => group.columns.map((c) => csvValue(r.data[c])));
  return toCsv([group.columns, ...rows], { bom: true, delimiter: ';' });
}

// Written out here rather than left to csv-stringify, which turns true/false into 1 and "".
const csvValue = (value: Value | undefined): CsvCell =>
  value === null || value === undefined ? '' : typeof value === 'number' ? value : String(value);

/** A path segment from a system or collection name: nothing that climbs out of `csv/` or breaks on Windows. */
const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';

function readme(policy: Policy, lang: Lang, generatedAt: Date): string {
  const lines = exportWords(lang).readme(policy.controller.name, formatDate(generatedAt.toISOString(), lang));
  return `${lines.join('\r\n')}\r\n`;
}
