import type { VNode } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { AccessResult } from '../executor/executor.ts';
import { formatList, type Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { type DataLabels, fieldLabel, formatMoment, formatValue, NO_LABELS, sectionTitle } from './data-labels.ts';
import type { AnswerFacts } from './export-answer.ts';
import { type AnswerWords, answerWords } from './export-answer-words.ts';
import { AnswerFactsSections, Rights } from './export-index-facts.tsx';
import { HubSection } from './export-index-hub.tsx';
import {
  type CollectionRecords,
  categoryName,
  eachRowOnce,
  groupByCollection,
  type HubHoldings,
  mainCategory,
} from './export-model.ts';
import { portableCategories } from './export-portability.ts';
import { type ExportWords, exportWords } from './export-words.ts';

/**
 * The readable page of the export package. Standalone on purpose: it is opened from a zip on
 * someone's phone or laptop, so no JavaScript, no external resources, and every text escaped by preact.
 */

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--accent:#0a58b0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--line:#3d444d;--accent:#6cb0ff}}
*{box-sizing:border-box}
body{margin:0;background:Canvas;color:var(--fg);font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 4rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.35rem;line-height:1.3;margin:2.5rem 0 .75rem;padding-top:1.25rem;border-top:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.75rem 0 .5rem}
a{color:var(--accent);overflow-wrap:anywhere}
.meta,.count,.cat{color:var(--muted)}
.meta{margin:0}
.count{font-weight:normal;font-size:.9rem}
.empty{font-size:1.2rem;font-weight:600}
.table{overflow-x:auto;margin:.5rem 0 1.25rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid var(--line)}
td{overflow-wrap:anywhere;min-width:6rem}
th{white-space:nowrap}
thead tr:last-child th{border-bottom-width:2px}
.cat{font-weight:normal;font-size:.8rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.25rem 0 .5rem}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.record{padding:.5rem 0;border-bottom:1px solid var(--line)}
@media (max-width:32rem){.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.4rem}}
.note{border-left:3px solid var(--accent);padding-left:.75rem}
`;

interface PageProps {
  type: 'access' | 'portability';
  /** The records the package shows (the portable part for portability). */
  shown: AccessResult;
  holdings: HubHoldings;
  facts: AnswerFacts;
  hasContent: boolean;
  policy: Policy;
  lang: Lang;
  generatedAt: Date;
  /** The data map's words for collections and fields; the defaults without. */
  labels?: DataLabels;
}

/**
 * The export's index.html: the person's data per collection in words, what is sealed or still to come,
 * what the hub holds, and what GDPR Art. 15 asks besides (purposes, recipients, terms, sources, rights).
 * No table or column names: those are in data.json and the CSVs, for machines.
 */
export function renderExportIndex(props: PageProps): string {
  return `<!doctype html>\n${renderToStaticMarkup(<ExportPage {...props} />)}\n`;
}

function ExportPage(props: PageProps): VNode {
  const { shown, holdings, facts, policy, lang, generatedAt, hasContent, type, labels } = props;
  const w = exportWords(lang);
  const a = answerWords(lang);
  const title = w.title(policy.controller.name);
  // A row found through two collections (an order note under each order storage) is told once.
  const rowsOnce = eachRowOnce(shown.records, (system, collection) => (labels ?? NO_LABELS).table(system, collection));
  const collections = groupByCollection(rowsOnce);
  const portable = [...portableCategories(policy)].map((id) => categoryName(policy, id, lang));
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          <p class="meta">{w.made(formatMoment(generatedAt, lang), shown.subject.email)}</p>
          {!hasContent ? (
            <NothingFound w={w} email={shown.subject.email} />
          ) : (
            <>
              <Files w={w} />
              {type === 'portability' && (
                <p class="note">
                  {collections.length > 0 ? a.portabilityNote(formatList(portable, lang)) : a.portabilityNothing}
                </p>
              )}
              {type === 'access' && collections.length === 0 && <p>{w.noRecordsButMore}</p>}
              {collections.length > 0 && <h2>{w.yourData}</h2>}
              {collections.map((c) => (
                <CollectionSection group={c} policy={policy} lang={lang} w={w} labels={labels ?? NO_LABELS} />
              ))}
              {facts.pending.length > 0 && (
                <>
                  <h2>{a.pendingHeading}</h2>
                  {facts.pending.map((p) => (
                    <p class="note">{p.text}</p>
                  ))}
                </>
              )}
              {facts.sealed.length > 0 && <Sealed facts={facts} a={a} />}
              <HubSection holdings={holdings} policy={policy} lang={lang} w={w} a={a} />
              <AnswerFactsSections facts={facts} lang={lang} />
            </>
          )}
          {!hasContent && <Rights facts={facts} w={w} />}
        </main>
      </body>
    </html>
  );
}

function NothingFound({ w, email }: { w: ExportWords; email: string }): VNode {
  return (
    <>
      <p class="empty">{w.nothingFound}</p>
      <p>{w.nothingFoundText(email)}</p>
    </>
  );
}

function Files({ w }: { w: ExportWords }): VNode {
  return (
    <>
      <h2>{w.filesHeading}</h2>
      <ul>
        {w.files.map((f) => (
          <li>
            <code>{f.name}</code>: {f.text}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * One kind of data as a part of the letter: "Uw bestellingen (3)", where it is held, and each record as
 * label and value ("Straat: Dorpsstraat"), in the person's language, dates in Dutch time and money in euros.
 */
function CollectionSection(props: {
  group: CollectionRecords;
  policy: Policy;
  lang: Lang;
  w: ExportWords;
  labels: DataLabels;
}): VNode {
  const { group, policy, lang, w, labels } = props;
  const main = mainCategory(group.records[0]!);
  const title = sectionTitle(labels, policy, { ...group, mainCategory: main }, lang);
  const party = policy.processors.find((p) => p.id === group.system)?.name;
  const label = (field: string) =>
    fieldLabel(
      labels,
      policy,
      {
        system: group.system,
        collection: group.collection,
        field,
        ...(group.categories[field] ? { category: group.categories[field] } : {}),
      },
      lang,
    );
  return (
    <section>
      <h3>
        {title} <span class="count">({w.records(group.records.length)})</span>
      </h3>
      <p class="meta">{party ? w.heldBy(party) : w.heldByUs}</p>
      {group.records.map((r) => (
        <dl class="facts record">
          {group.columns
            .filter((c) => !isDatabaseKey(c, group) && formatValue(c, r.data[c], r.data, lang, policy) !== '')
            .map((c) => (
              <>
                <dt>{label(c)}</dt>
                <dd>{formatValue(c, r.data[c], r.data, lang, policy)}</dd>
              </>
            ))}
        </dl>
      ))}
    </section>
  );
}

/**
 * A column that only links rows in the database (`id`, `customer_id`, `orderId`) and is not personal data:
 * left out of the letter, which shows numbers a person knows (an order's number, an invoice's); data.json
 * and the CSVs keep it.
 */
function isDatabaseKey(column: string, group: CollectionRecords): boolean {
  if (group.categories[column]) return false;
  return /^(id|key)$/i.test(column) || /(_id|Id|ID)$/.test(column);
}

function Sealed({ facts, a }: { facts: AnswerFacts; a: AnswerWords }): VNode {
  const c = a.sealedColumns;
  return (
    <>
      <h2>{a.sealedHeading}</h2>
      <p>{a.sealedIntro}</p>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{c.what}</th>
              <th scope="col">{c.count}</th>
              <th scope="col">{c.until}</th>
              <th scope="col">{c.why}</th>
            </tr>
          </thead>
          <tbody>
            {facts.sealed.map((s) => (
              <tr>
                <th scope="row">{s.what}</th>
                <td>{String(s.count)}</td>
                <td>{s.untilText}</td>
                <td>{s.why}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
