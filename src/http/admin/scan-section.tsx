import { findingSentence, passWords } from '../../scan/finding-words.ts';
import type { ScanRun } from '../../scan/scan.repository.ts';
import type { DeskLang } from './desk-lang.ts';
import { moment } from './desk-words.ts';

/** Findings shown at most; the rest are counted (the CLI lists them all). */
const SHOWN = 25;

const W = {
  nl: {
    title: 'Cookiescan',
    none: (
      <>
        Er is nog geen dagelijkse cookiescan gedaan. Zet <code>daily: true</code> in <code>scan.yaml</code>, of scan met{' '}
        <code>inzage scan</code>.
      </>
    ),
    failed: (at: string, why: string) => `De scan van ${at} is mislukt: ${why}`,
    lead: (at: string, pages: number) =>
      `Laatste scan ${at}: ${pages} pagina's bezocht zonder keuze, na "Alles weigeren" en na "Alles accepteren"; `,
    errors: (n: number) => `⚠ ${n} ${n === 1 ? 'fout' : 'fouten'}`,
    noErrors: 'geen fouten',
    warnings: (n: number) => `, ${n} ${n === 1 ? 'waarschuwing' : 'waarschuwingen'}.`,
    incomplete: " Niet alle pagina's zijn bezocht: de tijdslimiet was bereikt.",
    error: 'Fout',
    warning: 'Waarschuwing',
    more: (n: number) => (
      <>
        En nog {n}; <code>inzage scan</code> toont ze alle.
      </>
    ),
  },
  en: {
    title: 'Cookie scan',
    none: (
      <>
        No daily cookie scan has run yet. Set <code>daily: true</code> in <code>scan.yaml</code>, or scan with{' '}
        <code>inzage scan</code>.
      </>
    ),
    failed: (at: string, why: string) => `The scan of ${at} failed: ${why}`,
    lead: (at: string, pages: number) =>
      `Last scan ${at}: ${pages} pages visited without a choice, after "Reject all" and after "Accept all"; `,
    errors: (n: number) => `⚠ ${n} ${n === 1 ? 'error' : 'errors'}`,
    noErrors: 'no errors',
    warnings: (n: number) => `, ${n} ${n === 1 ? 'warning' : 'warnings'}.`,
    incomplete: ' Not every page was visited: the time limit was reached.',
    error: 'Error',
    warning: 'Warning',
    more: (n: number) => (
      <>
        And {n} more; <code>inzage scan</code> lists them all.
      </>
    ),
  },
};

/** The officer's view of the latest cookie scan: when, how much, and each finding in words. */
export function ScanSection({ scan, lang = 'nl' }: { scan?: ScanRun; lang?: DeskLang }) {
  const w = W[lang];
  return (
    <section aria-labelledby="cookie-scan">
      <h2 id="cookie-scan">{w.title}</h2>
      {!scan ? (
        <p>{w.none}</p>
      ) : scan.status === 'failed' ? (
        <p class="overdue">{w.failed(moment(scan.startedAt, lang), scan.failure ?? '')}</p>
      ) : (
        <>
          <p class="lead">
            {w.lead(moment(scan.startedAt, lang), scan.pages.length)}
            {scan.errors > 0 ? <strong>{w.errors(scan.errors)}</strong> : w.noErrors}
            {w.warnings(scan.warnings)}
            {scan.incomplete && w.incomplete}
          </p>
          {scan.findings.length > 0 && (
            <ul class="plain scan-findings">
              {scan.findings.slice(0, SHOWN).map((f) => (
                <li class={f.severity === 'error' ? 'overdue' : undefined}>
                  <strong>{f.severity === 'error' ? w.error : w.warning}</strong>: {findingSentence(f, lang)}
                  {f.page && /^https?:\/\//.test(f.page) && (
                    <>
                      {' · '}
                      <a href={f.page}>{f.page}</a>
                    </>
                  )}
                  {f.pass && ` · ${passWords(f.pass, lang)}`}
                </li>
              ))}
            </ul>
          )}
          {scan.findings.length > SHOWN && <p>{w.more(scan.findings.length - SHOWN)}</p>}
        </>
      )}
    </section>
  );
}
