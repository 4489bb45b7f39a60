import type { Lang } from './labels.ts';

/**
 * The rendered policy as a small document tree. HTML and Markdown are both written from this
 * tree, so the two formats cannot drift apart in content; each writer only decides markup
 * and escaping.
 */

/** Plain text, or a link. Texts are raw here; every writer escapes them for its own format. */
export type Inline = string | { text: string; href: string };
export type Rich = readonly Inline[];

export type Block =
  | { kind: 'heading'; level: 3 | 4; text: string }
  /** Free text from the policy file: every line is a paragraph. */
  | { kind: 'text'; text: string }
  | { kind: 'paragraph'; content: Rich }
  /** A compact list of label–value facts, e.g. what a party receives and where. */
  | { kind: 'facts'; items: ReadonlyArray<{ label: string; value: Rich }> }
  | { kind: 'list'; items: readonly Rich[] }
  | { kind: 'table'; head: readonly string[]; rows: ReadonlyArray<readonly Rich[]> }
  /** Lines kept together, such as an address. */
  | { kind: 'lines'; lines: readonly Rich[] };

export interface DocSection {
  /** Anchor for the table of contents; the same in every language so links keep working. */
  id: string;
  title: string;
  blocks: readonly Block[];
}

export interface PolicyDocument {
  lang: Lang;
  title: string;
  /** "Versie 2026-11-01 · geldig vanaf 1 november 2026". */
  meta: string;
  website?: string;
  sections: readonly DocSection[];
}

/**
 * A link only for web and mail addresses: the schema's `z.url()` also accepts `javascript:`,
 * which must never become a clickable href on a public page.
 */
export function link(text: string, href: string): Inline {
  return /^(https?:|mailto:)/i.test(href) ? { text, href } : text;
}
