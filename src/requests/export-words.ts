import type { Lang } from '../policy/labels.ts';

/**
 * The fixed words of the export package (index.html and README.txt) in Dutch and English.
 * Texts from the policy file (names, categories, services, rights) come from the policy itself.
 */
export interface ExportWords {
  title: (shop: string) => string;
  made: (when: string, email: string) => string;
  filesHeading: string;
  files: { name: string; text: string }[];
  yourData: string;
  records: (n: number) => string;
  field: string;
  category: string;
  notPersonal: string;
  nothingFound: string;
  nothingFoundText: (email: string) => string;
  noRecordsButMore: string;
  otherData: string;
  otherField: string;
  heldBy: (party: string) => string;
  heldByUs: string;
  othersHeading: string;
  othersIntro: string;
  service: string;
  company: string;
  role: string;
  receives: string;
  where: string;
  consentsHeading: string;
  consentsIntro: string;
  consentColumns: { purpose: string; choice: string; when: string; source: string; text: string };
  granted: string;
  withdrawn: string;
  version: (v: string) => string;
  rightsHeading: string;
  rightsIntro: string;
  contact: (name: string, email: string) => string;
  complaint: string;
  readme: (shop: string, date: string) => string[];
}

const nl: ExportWords = {
  title: (shop) => `Uw gegevens bij ${shop}`,
  made: (when, email) => `Gemaakt op ${when} voor ${email}.`,
  filesHeading: 'Wat zit er in dit pakket',
  files: [
    { name: 'index.html', text: 'deze pagina: al uw gegevens, leesbaar.' },
    {
      name: 'data.json',
      text: 'dezelfde gegevens in een machineleesbaar formaat, om mee te nemen naar een andere partij.',
    },
    { name: 'csv/', text: 'één spreadsheet per soort gegevens, te openen in Excel of LibreOffice.' },
    { name: 'README.txt', text: 'een korte uitleg van deze bestanden.' },
  ],
  yourData: 'Welke gegevens wij over u hebben',
  records: (n) => (n === 1 ? '1 record' : `${n} records`),
  field: 'Veld',
  category: 'Soort gegevens',
  notPersonal: '—',
  nothingFound: 'Wij hebben geen gegevens over u gevonden',
  nothingFoundText: (email) =>
    `Wij hebben in al onze systemen gezocht naar ${email} en daar geen gegevens over u gevonden. ` +
    'Dit is een volledig antwoord op uw verzoek.',
  otherData: 'Overige gegevens',
  otherField: 'Overig',
  heldBy: (party) => `Bij ${party}.`,
  heldByUs: 'In onze eigen systemen.',
  noRecordsButMore:
    'In de systemen die wij zelf doorzoeken, vonden wij geen gegevens over u die wij nog gebruiken. ' +
    'Wat wij wel van u bewaren of nog navragen, staat hieronder.',
  othersHeading: 'Wie heeft uw gegevens nog?',
  othersIntro: 'Deze partijen ontvangen gegevens over u van ons, of kunnen die hebben:',
  service: 'Dienst',
  company: 'Onderneming',
  role: 'Rol',
  receives: 'Ontvangt',
  where: 'Waar',
  consentsHeading: 'Uw toestemmingen',
  consentsIntro:
    'Elke keuze die u maakte over contact op een later moment, met de tekst die u toen zag. De nieuwste keuze per doel geldt.',
  consentColumns: { purpose: 'Doel', choice: 'Keuze', when: 'Wanneer', source: 'Waar', text: 'Tekst die u zag' },
  granted: 'Toestemming gegeven',
  withdrawn: 'Ingetrokken of geweigerd',
  version: (v) => `versie ${v}`,
  rightsHeading: 'Uw rechten',
  rightsIntro: 'U heeft deze rechten over uw gegevens:',
  contact: (name, email) => `Vragen of een verzoek? Neem contact op met ${name} (${email}).`,
  complaint: 'U kunt altijd een klacht indienen bij de',
  readme: (shop, date) => [
    `Uw gegevens bij ${shop}, gemaakt op ${date}.`,
    '',
    'index.html  Open dit bestand in uw browser: al uw gegevens, leesbaar, en wie ze nog meer heeft.',
    'data.json   Dezelfde gegevens, machineleesbaar (JSON), om mee te nemen naar een andere partij.',
    'csv/        Eén CSV-bestand per systeem en soort gegevens; te openen in Excel of LibreOffice.',
    '',
    `Vragen? Neem contact op met ${shop}; de contactgegevens staan onderaan index.html.`,
  ],
};

const en: ExportWords = {
  title: (shop) => `Your data at ${shop}`,
  made: (when, email) => `Made on ${when} for ${email}.`,
  filesHeading: 'What is in this package',
  files: [
    { name: 'index.html', text: 'this page: all your data, readable.' },
    { name: 'data.json', text: 'the same data in a machine-readable format, to take to another party.' },
    { name: 'csv/', text: 'one spreadsheet per kind of data, to open in Excel or LibreOffice.' },
    { name: 'README.txt', text: 'a short explanation of these files.' },
  ],
  yourData: 'The data we hold about you',
  records: (n) => (n === 1 ? '1 record' : `${n} records`),
  field: 'Field',
  category: 'Kind of data',
  notPersonal: '—',
  nothingFound: 'We found no data about you',
  nothingFoundText: (email) =>
    `We searched all our systems for ${email} and found no data about you there. ` +
    'This is a complete answer to your request.',
  otherData: 'Other data',
  otherField: 'Other',
  heldBy: (party) => `At ${party}.`,
  heldByUs: 'In our own systems.',
  noRecordsButMore:
    'In the systems we search ourselves we found no data about you that we still use. ' +
    'What we do keep about you, or are still asking for, is below.',
  othersHeading: 'Who else holds your data?',
  othersIntro: 'These parties receive data about you from us, or may hold it:',
  service: 'Service',
  company: 'Company',
  role: 'Role',
  receives: 'Receives',
  where: 'Where',
  consentsHeading: 'Your consents',
  consentsIntro:
    'Every choice you made about contact at a later time, with the text you saw. The newest choice per purpose counts.',
  consentColumns: { purpose: 'Purpose', choice: 'Choice', when: 'When', source: 'Where', text: 'Text you saw' },
  granted: 'Consent given',
  withdrawn: 'Withdrawn or refused',
  version: (v) => `version ${v}`,
  rightsHeading: 'Your rights',
  rightsIntro: 'You have these rights over your data:',
  contact: (name, email) => `Questions or a request? Contact ${name} (${email}).`,
  complaint: 'You can always lodge a complaint with the',
  readme: (shop, date) => [
    `Your data at ${shop}, made on ${date}.`,
    '',
    'index.html  Open this file in your browser: all your data, readable, and who else holds it.',
    'data.json   The same data, machine-readable (JSON), to take to another party.',
    'csv/        One CSV file per system and kind of data; opens in Excel or LibreOffice.',
    '',
    `Questions? Contact ${shop}; the contact details are at the bottom of index.html.`,
  ],
};

export const exportWords = (lang: Lang): ExportWords => (lang === 'en' ? en : nl);
