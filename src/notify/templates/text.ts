import type { Block, Inline, MailContent } from './model.ts';

const WIDTH = 72;

/** Wraps a paragraph at 72 columns; a long word (a URL) keeps its own line unbroken. */
function wrap(text: string, indent = ''): string {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      if (line && line.length + 1 + word.length > WIDTH - indent.length) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n');
}

const inlineText = (parts: Inline[]): string =>
  parts
    .map((part) => {
      if (typeof part === 'string') return part;
      return part.label ? `${part.label} <${part.href}>` : part.href;
    })
    .join('');

function blockText(block: Block): string {
  switch (block.kind) {
    case 'p':
      return wrap(inlineText(block.parts));
    case 'list':
      return block.items.map((item) => `- ${wrap(inlineText(item), '  ')}`).join('\n');
    case 'button':
      return `${block.label}:\n${block.href}`;
    case 'quote':
      return block.text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
  }
}

/** The plain-text version: the same blocks, paragraphs wrapped, links written out in full. */
export function renderText(content: MailContent, closing: string[], footer: string): string {
  const parts = [content.heading ?? content.subject, ...content.blocks.map(blockText)];
  if (closing.length) parts.push(closing.join('\n'));
  parts.push(`-- \n${wrap(footer)}`);
  return `${parts.join('\n\n')}\n`;
}

/** Every absolute http(s) URL in a text, each once, in order. */
export function extractLinks(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'`]+/g) ?? [];
  const trimmed = found.map((url) => url.replace(/[.,;:!?)\]]+$/, ''));
  return [...new Set(trimmed)];
}
