import { stringify } from 'csv-stringify/sync';

/** A CSV cell: text as it is; a number stays a number (a negative amount is data, not a formula). */
export type CsvCell = string | number | null | undefined;

/**
 * Every CSV Inzage writes (export packages, the Art. 30 register): RFC 4180, CRLF line ends, fields
 * quoted when needed. A text cell a spreadsheet would run as a formula — one starting with `=`, `+`,
 * `-`, `@`, a tab or a CR (or their full-width forms) — gets a leading apostrophe, as OWASP advises
 * against CSV injection: a shop's customer can type `=HYPERLINK(…)` as their name, and the officer or
 * the person opens the file in Excel. Spreadsheets hide the apostrophe, so `+31 6 12345678` still reads
 * as the phone number it is; a program reading the file sees the apostrophe. `delimiter: ';'` is what
 * Excel and LibreOffice expect in a Dutch locale (where the comma is the decimal sign); a cell holding
 * the delimiter is quoted, so the file stays RFC 4180 with another separator.
 */
export function toCsv(
  rows: ReadonlyArray<ReadonlyArray<CsvCell>>,
  options: { bom?: boolean; delimiter?: ',' | ';' } = {},
): string {
  return stringify(rows as CsvCell[][], {
    delimiter: options.delimiter ?? ',',
    record_delimiter: 'windows',
    bom: options.bom ?? false,
    escape_formulas: true,
  });
}
