import { strToU8, type Zippable, zipSync } from 'fflate';
import type { Value } from '../connectors/connector.ts';
import type { ConsentRecord } from '../consent/contact-consent.types.ts';
import type { AccessResult } from '../executor/executor.ts';
import { type CsvCell, toCsv } from '../lib/csv.ts';
import { formatDate, type Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { renderExportIndex } from './export-index.tsx';
import { type CollectionRecords, groupByCollection, mainCategory } from './export-model.ts';
import { exportWords } from './export-words.ts';

/**
 * The answer to an access or portability request: a zip with the person's data three ways —
 * `data.json` to take elsewhere, one CSV per collection for a spreadsheet, `index.html` to read —
 * and a README. The same result, policy and time always give the same bytes.
 */

export const EXPORT_FORMAT = 'inzage-export/1';

export interface ExportOptions {
  lang: Lang;
  /** When the package was made; defaults to the access result's time. */
  generatedAt?: Date;
  /** The person's contact-consent history, oldest first (`consentHistoryFor(email)`). */
  consents?: ConsentRecord[];
}

/** The shape of `data.json`. */
export interface ExportData {
  format: typeof EXPORT_FORMAT;
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
}

/** Builds the export package (a zip) for one person's access result. */
export function buildExportPackage(result: AccessResult, policy: Policy, options: ExportOptions): Uint8Array {
  const generatedAt = options.generatedAt ?? new Date(result.generatedAt);
  const consents = options.consents ?? [];
  const files: Zippable = {
    'index.html': strToU8(renderExportIndex({ result, policy, lang: options.lang, generatedAt, consents })),
    'data.json': strToU8(`${JSON.stringify(exportData(result, policy, generatedAt, consents), null, 2)}\n`),
    'README.txt': strToU8(readme(policy, options.lang, generatedAt)),
  };
  for (const [path, csv] of collectionCsvs(result)) files[path] = strToU8(csv);
  return zipSync(files, { level: 6, mtime: zipTime(generatedAt) });
}

/** The download's file name, e.g. `inzage-export-2026-11-26.zip`. */
export function exportFileName(generatedAt: Date): string {
  return `inzage-export-${generatedAt.toISOString().slice(0, 10)}.zip`;
}

export function exportData(
  result: AccessResult,
  policy: Policy,
  generatedAt: Date,
  consents: ConsentRecord[] = [],
): ExportData {
  return {
    format: EXPORT_FORMAT,
    subject: { email: result.subject.email },
    generatedAt: generatedAt.toISOString(),
    controller: { name: policy.controller.name, email: policy.controller.email },
    records: result.records.map((r) => ({
      system: r.system,
      collection: r.collection,
      key: r.key,
      category: mainCategory(r),
      categories: r.categories,
      data: r.data,
    })),
    processors: result.processors.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      locations: p.locations,
      categories: p.categories,
    })),
    manualTasks: result.manualTasks.map((t) => ({
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
  };
}

/** `csv/<system>/<collection>.csv` per collection: RFC 4180, CRLF, UTF-8 with a BOM so Excel reads é and ë right. */
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
  return toCsv([group.columns, ...rows], { bom: true });
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

/**
 * Zip entries carry a DOS time in local time; fflate reads the Date's local fields. A Date whose
 * local fields equal the UTC ones keeps the bytes the same on every machine. DOS time starts in 1980.
 */
function zipTime(at: Date): Date {
  const d = at.getUTCFullYear() < 1980 ? new Date(Date.UTC(1980, 0, 1)) : at;
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}
