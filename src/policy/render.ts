import type { Lang } from './labels.ts';
import type { Policy } from './policy.schema.ts';
import { renderPolicyHtml } from './render-html.tsx';
import { renderPolicyMarkdown } from './render-md.ts';

export { renderPolicyBody } from './render-html.tsx';
export { buildPolicyDocument } from './render-model.ts';

export interface RenderOptions {
  lang: Lang;
  format: 'html' | 'md';
}

/** The public privacy policy as a standalone HTML page or as Markdown, in Dutch or English. */
export function renderPolicy(policy: Policy, opts: RenderOptions): string {
  return opts.format === 'html' ? renderPolicyHtml(policy, opts.lang) : renderPolicyMarkdown(policy, opts.lang);
}
