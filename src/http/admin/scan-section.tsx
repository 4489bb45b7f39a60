import { findingSentence, passWords } from '../../scan/finding-words.ts';
import type { ScanRun } from '../../scan/scan.repository.ts';
import { moment } from './desk-words.ts';

/** Findings shown at most; the rest are counted (the CLI lists them all). */
const SHOWN = 25;

/** The officer's view of the latest cookie scan: when, how much, and each finding in words. */
export function ScanSection({ scan }: { scan?: ScanRun }) {
  return (
    <section aria-labelledby="cookie-scan">
      <h2 id="cookie-scan">Cookiescan</h2>
      {!scan ? (
        <p>
          Er is nog geen dagelijkse cookiescan gedaan. Zet <code>daily: true</code> in <code>scan.yaml</code>, of scan
          met <code>inzage scan</code>.
        </p>
      ) : scan.status === 'failed' ? (
        <p class="overdue">
          De scan van {moment(scan.startedAt)} is mislukt: {scan.failure}
        </p>
      ) : (
        <>
          <p class="lead">
            {`Laatste scan ${moment(scan.startedAt)}: ${scan.pages.length} pagina's bezocht zonder keuze, na "Alles weigeren" en na "Alles accepteren"; `}
            {scan.errors > 0 ? (
              <strong>{`⚠ ${scan.errors} ${scan.errors === 1 ? 'fout' : 'fouten'}`}</strong>
            ) : (
              'geen fouten'
            )}
            {`, ${scan.warnings} ${scan.warnings === 1 ? 'waarschuwing' : 'waarschuwingen'}.`}
            {scan.incomplete && " Niet alle pagina's zijn bezocht: de tijdslimiet was bereikt."}
          </p>
          {scan.findings.length > 0 && (
            <ul class="plain scan-findings">
              {scan.findings.slice(0, SHOWN).map((f) => (
                <li class={f.severity === 'error' ? 'overdue' : undefined}>
                  <strong>{f.severity === 'error' ? 'Fout' : 'Waarschuwing'}</strong>: {findingSentence(f, 'nl')}
                  {f.page && /^https?:\/\//.test(f.page) && (
                    <>
                      {' · '}
                      <a href={f.page}>{f.page}</a>
                    </>
                  )}
                  {f.pass && ` · ${passWords(f.pass, 'nl')}`}
                </li>
              ))}
            </ul>
          )}
          {scan.findings.length > SHOWN && (
            <p>{`En nog ${scan.findings.length - SHOWN}; inzage scan toont ze alle.`}</p>
          )}
        </>
      )}
    </section>
  );
}
