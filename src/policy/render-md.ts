import type { Lang } from './labels.ts';
import type { Policy } from './policy.schema.ts';
import type { Block, DocSection, Inline, Rich } from './render-doc.ts';
import { buildPolicyDocument } from './render-model.ts';

/**
 * The policy as Markdown (CommonMark with GFM tables), with the same content as the HTML page.
 * Policy text is escaped so that it reads as written: a `*` stays a star, a `<script>` stays text.
 */

/** Escapes characters Markdown would read as markup, wherever they appear in a line. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\\`*_{}[\]<>|~&]/g, '\\$&')
      // At the start of a line these begin a list, heading, quote or rule.
      .replace(/^(\s*)([-+=#])/, '$1\\$2')
      .replace(/^(\s*\d+)([.)])/, '$1\\$2')
  );
}

function linkTarget(href: string): string {
  // Parentheses and spaces would end the link destination early.
  return href.replace(/[()\s]/g, (c) => encodeURIComponent(c));
}

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeMarkdown(part);
  return `[${escapeMarkdown(part.text)}](${linkTarget(part.href)})`;
}

function rich(content: Rich): string {
  return content.map(inline).join('');
}

/** A table cell is one line: a newline would end the row. */
function cell(content: Rich): string {
  return rich(content).replace(/\s*\n\s*/g, ' ');
}

function table(head: readonly string[], rows: ReadonlyArray<readonly Rich[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head.map(escapeMarkdown)), line(head.map(() => '---')), ...rows.map((row) => line(row.map(cell)))].join(
    '\n',
  );
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case 'text':
      return b.text
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean)
        .map(escapeMarkdown)
        .join('\n\n');
    case 'paragraph':
      return rich(b.content);
    case 'facts':
      return b.items.map((f) => `- **${escapeMarkdown(f.label)}:** ${rich(f.value)}`).join('\n');
    case 'list':
      return b.items.map((item) => `- ${rich(item)}`).join('\n');
    case 'table':
      return table(b.head, b.rows);
    case 'lines':
      // A backslash at the end of a line is a hard line break in CommonMark.
      return b.lines.map(rich).join('\\\n');
  }
}

function section(s: DocSection): string {
  return [`## ${escapeMarkdown(s.title)}`, ...s.blocks.map(block)].join('\n\n');
}

/** The policy as one Markdown document. */
export function renderPolicyMarkdown(policy: Policy, lang: Lang): string {
  const doc = buildPolicyDocument(policy, lang);
  const header = [`# ${escapeMarkdown(doc.title)}`, `*${escapeMarkdown(doc.meta)}*`];
  if (doc.website) header.push(inline({ text: doc.website, href: doc.website }));
  return `${[...header, ...doc.sections.map(section)].join('\n\n')}\n`;
}
