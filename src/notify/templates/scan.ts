import { findingSentence, passWords } from '../../scan/finding-words.ts';
import type { Finding } from '../../scan/scan.types.ts';
import { button, type Inline, type Lang, link, list, type MailContent, type MailContext, p } from './model.ts';
import { count, formatDateTime } from './words.ts';

/** To the privacy officer: the daily cookie scan's errors that were not mailed before (names of cookies and hosts). */
export interface ScanFindingsData {
  /** When the scan ran. */
  at: string;
  /** The new errors; those mailed on an earlier day are left out. */
  findings: Finding[];
  /** All errors of this scan, the new ones included. */
  errors: number;
  adminUrl: string;
}

/** A finding, its page as a link: `Cookie _fbp (…) gezet vóór een keuze; op https://…, zonder keuze`. */
function line(f: Finding, lang: Lang): Inline[] {
  const parts: Inline[] = [findingSentence(f, lang)];
  if (f.page) parts.push(lang === 'nl' ? '; op ' : '; on ', link(f.page));
  if (f.pass) parts.push(`${f.page ? ',' : ';'} ${passWords(f.pass, lang)}`);
  return parts;
}

export const scanFindings: Record<Lang, (data: ScanFindingsData, ctx: MailContext) => MailContent> = {
  nl: (d) => ({
    subject: `Inzage: de cookiescan vond ${count(d.findings.length, 'nieuwe fout', 'nieuwe fouten')}`,
    internal: true,
    blocks: [
      p(
        `De dagelijkse cookiescan van ${formatDateTime(d.at, 'nl')} bezocht de webwinkel zonder keuze, na "Alles weigeren" en na "Alles accepteren", en vond dit, dat nog niet eerder gemeld was:`,
      ),
      list(d.findings.map((f) => line(f, 'nl'))),
      p(
        d.errors > d.findings.length
          ? `In totaal vond de scan ${count(d.errors, 'fout', 'fouten')}; de andere zijn eerder gemeld.`
          : 'Elke fout wordt één keer gemeld; het overzicht toont steeds de laatste scan.',
      ),
      p(
        'Pas de webwinkel aan (een tag die op toestemming moet wachten) of het privacybeleid (een cookie of partij die erin hoort).',
      ),
      button('Naar het overzicht', d.adminUrl),
      p('Op de opdrachtregel: inzage scan'),
    ],
  }),
  en: (d) => ({
    subject: `Inzage: the cookie scan found ${count(d.findings.length, 'new error', 'new errors')}`,
    internal: true,
    blocks: [
      p(
        `The daily cookie scan of ${formatDateTime(d.at, 'en')} visited the webshop without a choice, after "Alles weigeren" and after "Alles accepteren", and found this, not reported before:`,
      ),
      list(d.findings.map((f) => line(f, 'en'))),
      p(
        d.errors > d.findings.length
          ? `In all the scan found ${count(d.errors, 'error', 'errors')}; the others were reported before.`
          : 'Each error is reported once; the dashboard always shows the latest scan.',
      ),
      p(
        'Change the webshop (a tag that must wait for consent), or the privacy policy (a cookie or party that belongs in it).',
      ),
      button('Open the dashboard', d.adminUrl),
      p('On the command line: inzage scan'),
    ],
  }),
};
