import { formatDate, type Lang } from './labels.ts';
import type { Policy } from './policy.schema.ts';
import type { DocSection, PolicyDocument } from './render-doc.ts';
import {
  contactSection,
  cookiesSection,
  processingSection,
  purposesSection,
  retentionSection,
  rightsSection,
  textSection,
} from './render-sections.ts';
import { pageWords } from './render-words.ts';

/** Builds the document tree that the HTML and Markdown writers render. */
export function buildPolicyDocument(policy: Policy, lang: Lang): PolicyDocument {
  const w = pageWords(lang);
  const sections: DocSection[] = [
    textSection(policy.introduction, 'over-ons-privacybeleid', lang),
    processingSection(policy, lang),
    purposesSection(policy, lang),
    textSection(policy.disclosures, 'medewerking-onderzoek', lang),
    retentionSection(policy, lang),
    rightsSection(policy, lang),
    cookiesSection(policy, lang),
    textSection(policy.changes, 'wijzigingen', lang),
    contactSection(policy, lang),
  ];
  return {
    lang,
    title: `${w.title} ${policy.controller.name}`,
    meta: `${w.version} ${policy.version} · ${w.effectiveFrom} ${formatDate(policy.effectiveDate, lang)}`,
    website: policy.controller.website,
    sections,
  };
}
