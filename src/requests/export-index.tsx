import type { VNode } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { Value } from '../connectors/connector.ts';
import type { ConsentRecord } from '../consent/contact-consent.types.ts';
import type { AccessResult } from '../executor/executor.ts';
import { formatDate, formatList, type Lang } from '../policy/labels.ts';
import type { Policy } from '../policy/policy.schema.ts';
import { type CollectionRecords, categoryName, groupByCollection, type Holder, holdersOf } from './export-model.ts';
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
.facts dd{margin:0}
@media (max-width:32rem){.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.4rem}}
.note{border-left:3px solid var(--accent);padding-left:.75rem}
`;

interface PageProps {
  result: AccessResult;
  policy: Policy;
  lang: Lang;
  generatedAt: Date;
  /** The person's contact-consent history, oldest first. */
  consents?: ConsentRecord[];
}

/** The export's index.html: the person's data per collection, who else holds it, and their rights. */
export function renderExportIndex(props: PageProps): string {
  return `<!doctype html>\n${renderToStaticMarkup(<ExportPage {...props} />)}\n`;
}

function ExportPage({ result, policy, lang, generatedAt, consents = [] }: PageProps): VNode {
  const w = exportWords(lang);
  const iso = generatedAt.toISOString();
  const title = w.title(policy.controller.name);
  const holders = holdersOf(result, policy, lang);
  const collections = groupByCollection(result.records);
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
          <p class="meta">{w.made(`${formatDate(iso, lang)}, ${iso.slice(11, 16)} UTC`, result.subject.email)}</p>
          {collections.length === 0 && consents.length === 0 ? (
            <NothingFound w={w} email={result.subject.email} />
          ) : (
            <>
              <Files w={w} />
              {collections.length > 0 && <h2>{w.yourData}</h2>}
              {collections.map((c) => (
                <CollectionTable group={c} policy={policy} lang={lang} w={w} />
              ))}
            </>
          )}
          {consents.length > 0 && <Consents consents={consents} policy={policy} lang={lang} w={w} />}
          {holders.length > 0 && <Holders holders={holders} lang={lang} w={w} />}
          <Rights policy={policy} lang={lang} w={w} />
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

const cell = (value: Value | undefined): string => (value === null || value === undefined ? '' : String(value));

function CollectionTable(props: { group: CollectionRecords; policy: Policy; lang: Lang; w: ExportWords }): VNode {
  const { group, policy, lang, w } = props;
  const category = (column: string) => {
    const id = group.categories[column];
    return id ? categoryName(policy, id, lang) : w.notPersonal;
  };
  return (
    <section>
      <h3>
        {group.system} › {group.collection} <span class="count">({w.records(group.records.length)})</span>
      </h3>
      <div class="table">
        <table>
          <thead>
            <tr>
              {group.columns.map((c) => (
                <th scope="col">{c}</th>
              ))}
            </tr>
            <tr>
              {group.columns.map((c) => (
                <th scope="col" class="cat" title={w.category}>
                  {category(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {group.records.map((r) => (
              <tr>
                {group.columns.map((c) => (
                  <td>{cell(r.data[c])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Consents(props: { consents: ConsentRecord[]; policy: Policy; lang: Lang; w: ExportWords }): VNode {
  const { consents, policy, lang, w } = props;
  const c = w.consentColumns;
  const purpose = (id: string) => policy.purposes.items.find((p) => p.id === id)?.name[lang] ?? id;
  return (
    <>
      <h2>{w.consentsHeading}</h2>
      <p>{w.consentsIntro}</p>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{c.purpose}</th>
              <th scope="col">{c.choice}</th>
              <th scope="col">{c.when}</th>
              <th scope="col">{c.source}</th>
              <th scope="col">{c.text}</th>
            </tr>
          </thead>
          <tbody>
            {consents.map((r) => (
              <tr>
                <td>{purpose(r.purpose)}</td>
                <td>{r.granted ? w.granted : w.withdrawn}</td>
                <td>{`${formatDate(r.at, lang)}, ${r.at.slice(11, 16)} UTC`}</td>
                <td>{r.source}</td>
                <td>
                  {r.text}
                  {r.version && <span class="cat"> ({w.version(r.version)})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Holders({ holders, lang, w }: { holders: Holder[]; lang: Lang; w: ExportWords }): VNode {
  return (
    <>
      <h2>{w.othersHeading}</h2>
      <p>{w.othersIntro}</p>
      {holders.map((h) => (
        <section>
          <h3>{h.name}</h3>
          <dl class="facts">
            {h.service && <Fact label={w.service} value={h.service} />}
            <Fact label={w.role} value={h.role} />
            {h.categories.length > 0 && <Fact label={w.receives} value={formatList(h.categories, lang)} />}
            {h.locations.length > 0 && <Fact label={w.where} value={formatList(h.locations, lang)} />}
          </dl>
          {h.askedWithinDays !== undefined && <p class="note">{w.askedSeparately(h.askedWithinDays)}</p>}
        </section>
      ))}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }): VNode {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

function Rights({ policy, lang, w }: { policy: Policy; lang: Lang; w: ExportWords }): VNode {
  const { rights, controller } = policy;
  const authority = rights.complaintAuthority;
  return (
    <>
      <h2>{w.rightsHeading}</h2>
      <p>{w.rightsIntro}</p>
      <ul>
        {rights.items.map((item) => (
          <li>{item.title[lang]}</li>
        ))}
      </ul>
      <p>{w.contact(controller.privacyContact.name, controller.privacyContact.email)}</p>
      <p>
        {w.complaint} {authority.website ? <a href={authority.website}>{authority.name}</a> : authority.name}.
      </p>
    </>
  );
}
