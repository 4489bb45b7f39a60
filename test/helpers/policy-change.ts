import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { EXAMPLE_POLICY_FILE } from './app.ts';

/** The example policy's YAML text. */
export const examplePolicyYaml = (): string => readFileSync(EXAMPLE_POLICY_FILE, 'utf8');

/** Edits the example policy as YAML (comments kept) and returns the new text. */
export function editPolicyYaml(
  edit: (doc: ReturnType<typeof parseDocument>) => void,
  yaml = examplePolicyYaml(),
): string {
  const doc = parseDocument(yaml);
  edit(doc);
  return doc.toString();
}

/** A demo change: a new processor that receives reviews only (which only some customers have written). */
export const withReviewProcessor = (yaml?: string): string =>
  editPolicyYaml((doc) => {
    doc.addIn(['processors'], {
      id: 'trustpilot',
      name: 'Trustpilot',
      service: { nl: 'Beoordelingen', en: 'Reviews' },
      categories: ['review'],
      purposes: ['reviews'],
      purpose: { nl: 'Het tonen van uw beoordelingen.', en: 'Showing your reviews.' },
      legalBasis: 'legitimate-interests',
      locations: ['DK'],
      agreement: { status: 'signed' },
      description: {
        nl: 'Trustpilot toont de beoordelingen die u over uw bestelling schrijft.',
        en: 'Trustpilot shows the reviews you write about your order.',
      },
    });
    // Listed under the reviews heading, so that the public policy names it.
    const sections = (doc.toJS() as { processing: { sections: Array<{ id: string }> } }).processing.sections;
    doc.addIn(
      ['processing', 'sections', sections.findIndex((s) => s.id === 'beoordelingen'), 'processors'],
      'trustpilot',
    );
  }, yaml);

/** An editorial change: the privacy contact's phone number and a sentence of the introduction. */
export const withEditorialChange = (yaml?: string): string =>
  editPolicyYaml((doc) => {
    doc.setIn(['controller', 'privacyContact', 'phone'], '+31 20 000 0000');
    const intro = String(doc.getIn(['introduction', 'text', 'nl']));
    doc.setIn(['introduction', 'text', 'nl'], `${intro} Wij hebben een typefout verbeterd.`);
  }, yaml);
