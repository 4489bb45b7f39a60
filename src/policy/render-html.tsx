import { Fragment, type VNode } from 'preact';
import { renderToStaticMarkup } from 'preact-render-to-string';
import type { Lang } from './labels.ts';
import type { Policy } from './policy.schema.ts';
import type { Block, DocSection, PolicyDocument, Rich } from './render-doc.ts';
import { buildPolicyDocument } from './render-model.ts';
import { pageWords } from './render-words.ts';

/**
 * The policy as HTML, through preact so that every text from the policy file is escaped.
 * No JavaScript and no external resources: the page must work for anyone, in any browser.
 */

// Small on purpose: a readable column, tables that scroll sideways on a phone, dark mode.
const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--accent:#0a58b0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--line:#3d444d;--accent:#6cb0ff}}
*{box-sizing:border-box}
body{margin:0;background:Canvas;color:var(--fg);font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 4rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 .25rem}
h2{font-size:1.35rem;line-height:1.3;margin:2.5rem 0 .75rem;padding-top:1.25rem;border-top:1px solid var(--line)}
h3{font-size:1.1rem;margin:1.75rem 0 .5rem}
h4{font-size:1rem;margin:1.25rem 0 .25rem}
a{color:var(--accent);overflow-wrap:anywhere}
.meta{color:var(--muted);margin:0}
nav ol{padding-left:1.25rem;margin:.25rem 0}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.5rem 0 1.25rem;font-size:.9rem;color:var(--muted)}
.facts dt{font-weight:600}
.facts dd{margin:0}
@media (max-width:32rem){.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.4rem}}
.table{overflow-x:auto;margin:.5rem 0 1.25rem}
.table:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.policy-links{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:.5rem 0 0;padding:0;list-style:none}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--line)}
th{border-bottom-width:2px}
address{font-style:normal}
@media print{nav{display:none}a{color:inherit}}
`;

function Inlines({ content }: { content: Rich }): VNode {
  return <>{content.map((part) => (typeof part === 'string' ? part : <a href={part.href}>{part.text}</a>))}</>;
}

/** Free text: each line of the file's folded YAML text is a paragraph. */
function Paragraphs({ text }: { text: string }): VNode {
  const paragraphs = text
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <>
      {paragraphs.map((p) => (
        <p>{p}</p>
      ))}
    </>
  );
}

/** A block; `label` names a table (the heading above it) for the region that scrolls it. */
function BlockView({ block, label }: { block: Block; label: string }): VNode {
  switch (block.kind) {
    case 'heading':
      return block.level === 3 ? <h3>{block.text}</h3> : <h4>{block.text}</h4>;
    case 'text':
      return <Paragraphs text={block.text} />;
    case 'paragraph':
      return (
        <p>
          <Inlines content={block.content} />
        </p>
      );
    case 'facts':
      return (
        <dl class="facts">
          {block.items.map((f) => (
            <Fragment>
              <dt>{f.label}</dt>
              <dd>
                <Inlines content={f.value} />
              </dd>
            </Fragment>
          ))}
        </dl>
      );
    case 'list':
      return (
        <ul>
          {block.items.map((item) => (
            <li>
              <Inlines content={item} />
            </li>
          ))}
        </ul>
      );
    case 'table':
      return <TableView head={block.head} rows={block.rows} label={label} />;
    case 'lines':
      return (
        <address>
          {block.lines.map((line, i) => (
            <Fragment>
              {i > 0 && <br />}
              <Inlines content={line} />
            </Fragment>
          ))}
        </address>
      );
  }
}

/**
 * A table in a box that scrolls sideways when the table is wider than the screen. The box is a named
 * region in the tab order, so that a keyboard can scroll it too (WCAG 2.1.1; axe `scrollable-region-focusable`).
 */
function TableView(props: { head: readonly string[]; rows: ReadonlyArray<readonly Rich[]>; label: string }): VNode {
  const { head, rows } = props;
  return (
    <section class="table" aria-label={props.label} tabindex={0}>
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {row.map((cell) => (
                <td>
                  <Inlines content={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A table's region is named after the heading above it, and says it is a table (a section has that name). */
const TABLE = { nl: 'Tabel', en: 'Table' } as const;

function SectionView({ section, lang, opts }: { section: DocSection; lang: Lang; opts: BodyOptions }): VNode {
  let heading = section.title;
  const id = `${opts.idPrefix ?? ''}${section.id}`;
  const blocks = section.blocks.map((block) => {
    if (block.kind === 'heading') heading = block.text;
    return <BlockView block={block} label={`${TABLE[lang]}: ${heading}`} />;
  });
  // A page shows one policy: each section is a region. A preview of two languages on one page is not.
  return opts.regions === false ? (
    <div class="section">
      <h2 id={id}>{section.title}</h2>
      {blocks}
    </div>
  ) : (
    <section aria-labelledby={id}>
      <h2 id={id}>{section.title}</h2>
      {blocks}
    </section>
  );
}

/** Links under the policy's title, e.g. to earlier versions (the page that shows the policy decides). */
export interface PolicyLink {
  text: string;
  href: string;
  lang?: Lang;
}

/** How a page shows the policy: links under its title; ids prefixed and no regions when it shows more than one. */
export interface BodyOptions {
  links?: readonly PolicyLink[];
  idPrefix?: string;
  regions?: boolean;
}

function DocumentView({ doc, opts = {} }: { doc: PolicyDocument; opts?: BodyOptions }): VNode {
  const links = opts.links ?? [];
  const prefix = opts.idPrefix ?? '';
  return (
    <article class="policy">
      <header>
        <h1>{doc.title}</h1>
        <p class="meta">{doc.meta}</p>
        {doc.website && (
          <p class="meta">
            <Inlines content={[{ text: doc.website, href: doc.website }]} />
          </p>
        )}
        {links.length > 0 && (
          <ul class="policy-links">
            {links.map((l) => (
              <li>
                <a href={l.href} hreflang={l.lang} lang={l.lang}>
                  {l.text}
                </a>
              </li>
            ))}
          </ul>
        )}
      </header>
      <nav aria-label={pageWords(doc.lang).contents}>
        <ol>
          {doc.sections.map((s) => (
            <li>
              <a href={`#${prefix}${s.id}`}>{s.title}</a>
            </li>
          ))}
        </ol>
      </nav>
      {doc.sections.map((section) => (
        <SectionView section={section} lang={doc.lang} opts={opts} />
      ))}
    </article>
  );
}

/** The policy's content as a preact element, for pages that bring their own layout. */
export function renderPolicyBody(policy: Policy, lang: Lang, opts: BodyOptions = {}): VNode {
  return <DocumentView doc={buildPolicyDocument(policy, lang)} opts={opts} />;
}

/** The policy as a complete, standalone HTML page. */
export function renderPolicyHtml(policy: Policy, lang: Lang): string {
  const doc = buildPolicyDocument(policy, lang);
  const page = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{doc.title}</title>
        {/* A constant written here, never policy text, so it may bypass escaping. */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main>
          <DocumentView doc={doc} />
        </main>
      </body>
    </html>
  );
  return `<!doctype html>\n${renderToStaticMarkup(page)}\n`;
}
