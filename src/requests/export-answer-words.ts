import type { Lang } from '../policy/labels.ts';
import type { RequestStatus, RequestType } from './request.types.ts';

/**
 * The fixed words of the access answer beyond the data itself (GDPR Art. 15), in Dutch and English:
 * the headings of index.html and the e-mail, and what the hub's own records are called.
 */
export interface AnswerWords {
  notStated: string;
  legalHold: string;
  askedAlready: (name: string, date: string) => string;
  officerWillAsk: (name: string, date: string) => string;
  purposesHeading: string;
  purposesIntro: string;
  purposeColumns: { purpose: string; basis: string; data: string };
  categoriesHeading: string;
  retentionHeading: string;
  retentionColumns: { what: string; term: string; why: string };
  sourcesHeading: string;
  sourceColumns: { data: string; source: string };
  transfersHeading: string;
  transfersIntro: string;
  noTransfers: string;
  automatedHeading: string;
  ownPurposes: string;
  privacyStatement: (name: string) => string;
  sealedHeading: string;
  sealedIntro: string;
  sealedColumns: { what: string; count: string; until: string; why: string };
  pendingHeading: string;
  hubHeading: string;
  hubIntro: string;
  requestsHeading: string;
  requestColumns: { type: string; received: string; status: string; outcome: string };
  requestType: Record<RequestType, string>;
  status: Record<RequestStatus, string>;
  outcome: (outcome: string) => string | undefined;
  restricted: (since: string | undefined) => string;
  objection: (purposes: string) => string;
  objectionAll: string;
  analyticsHeading: string;
  analyticsIntro: string;
  clientId: string;
  userId: string;
  unknownPurpose: string;
  consentSource: (source: string) => string;
  portabilityNote: (categories: string) => string;
  portabilityNothing: string;
  mailFacts: {
    purposes: string;
    categories: string;
    recipients: string;
    retention: string;
    sources: string;
    transfers: string;
    sealed: string;
    pending: string;
    rights: string;
  };
}

const CONSENT_SOURCES: Record<string, Record<Lang, string>> = {
  checkout: { nl: 'bij het afrekenen', en: 'at checkout' },
  account: { nl: 'in uw klantaccount', en: 'in your customer account' },
  portal: { nl: 'op onze privacypagina', en: 'on our privacy page' },
  banner: { nl: 'in de cookiemelding', en: 'in the cookie notice' },
  newsletter: { nl: 'bij het aanmelden', en: 'when signing up' },
  import: { nl: 'overgenomen uit onze eerdere administratie', en: 'taken over from our earlier records' },
};

const OUTCOMES: Record<string, Record<Lang, string>> = {
  exported: { nl: 'gegevens verstrekt', en: 'data provided' },
  'no data': { nl: 'geen gegevens gevonden', en: 'no data found' },
  erased: { nl: 'verwijderd', en: 'erased' },
  rectified: { nl: 'gecorrigeerd', en: 'corrected' },
  restricted: { nl: 'verwerking beperkt', en: 'processing restricted' },
  rejected: { nl: 'afgewezen', en: 'declined' },
  retention: { nl: 'verwijderd na de bewaartermijn', en: 'erased after the retention period' },
};

const nl: AnswerWords = {
  notStated: 'niet vastgelegd',
  legalHold: 'Wettelijke bewaarplicht',
  askedAlready: (name, date) =>
    `Wij hebben ${name} om uw gegevens gevraagd. Hun deel zit nog niet in dit pakket; u ontvangt het apart, uiterlijk ${date}.`,
  officerWillAsk: (name, date) =>
    `${name} kunnen wij niet automatisch raadplegen. Onze contactpersoon voor privacyzaken vraagt ${name} om uw gegevens; ` +
    `dat deel zit nog niet in dit pakket en u ontvangt het later, uiterlijk ${date}.`,
  purposesHeading: 'Waarvoor wij uw gegevens gebruiken',
  purposesIntro: 'Per doel: op welke grond wij uw gegevens verwerken, en welke gegevens van u wij daarvoor gebruiken.',
  purposeColumns: { purpose: 'Doel', basis: 'Grondslag', data: 'Uw gegevens' },
  categoriesHeading: 'Welke soorten gegevens wij over u hebben',
  retentionHeading: 'Hoe lang wij uw gegevens bewaren',
  retentionColumns: { what: 'Gegevens', term: 'Hoe lang', why: 'Waarom' },
  sourcesHeading: 'Waar uw gegevens vandaan komen',
  sourceColumns: { data: 'Gegevens', source: 'Herkomst' },
  transfersHeading: 'Doorgifte buiten de Europese Economische Ruimte',
  transfersIntro: 'Deze partijen kunnen uw gegevens buiten de EER verwerken, met deze waarborg:',
  noTransfers: 'Geen van de partijen die uw gegevens ontvangen, verwerkt ze buiten de Europese Economische Ruimte.',
  automatedHeading: 'Geautomatiseerde besluiten',
  ownPurposes: 'Zelf verantwoordelijk voor',
  privacyStatement: (name) => `Privacybeleid van ${name}`,
  sealedHeading: 'Wat wij moeten bewaren, in een afgesloten archief',
  sealedIntro:
    'Deze gegevens bewaren wij omdat de wet dat eist, in een afgesloten archief waartoe medewerkers geen toegang hebben. ' +
    'Aan het eind van de termijn vernietigen wij ze.',
  sealedColumns: { what: 'Wat', count: 'Aantal', until: 'Bewaard tot en met', why: 'Waarom' },
  pendingHeading: 'Wat nog volgt',
  hubHeading: 'Wat wij bijhouden over uw privacyverzoeken en keuzes',
  hubIntro: 'Ook ons privacysysteem houdt gegevens over u bij: uw verzoeken, uw keuzes en wat daaruit volgt.',
  requestsHeading: 'Uw verzoeken',
  requestColumns: { type: 'Verzoek', received: 'Ontvangen', status: 'Stand', outcome: 'Uitkomst' },
  requestType: {
    access: 'Inzage',
    portability: 'Overdracht van gegevens',
    rectification: 'Correctie',
    restriction: 'Beperking van de verwerking',
    objection: 'Bezwaar',
    erasure: 'Verwijdering',
    closure: 'Opzeggen van uw account',
  },
  status: {
    awaiting_verification: 'wacht op uw bevestiging',
    awaiting_identity: 'wacht op legitimatie',
    verified: 'bevestigd',
    in_progress: 'in behandeling',
    awaiting_decision: 'wacht op ons besluit',
    waiting_on_tasks: 'wacht op andere partijen',
    completed: 'afgehandeld',
    rejected: 'afgewezen',
    expired: 'verlopen, niet bevestigd',
  },
  outcome: (o) => OUTCOMES[o]?.nl,
  restricted: (since) =>
    since ? `De verwerking van uw gegevens is beperkt sinds ${since}.` : 'De verwerking van uw gegevens is beperkt.',
  objection: (purposes) => `U heeft bezwaar gemaakt tegen: ${purposes}.`,
  objectionAll: 'U heeft bezwaar gemaakt tegen de verwerking van uw gegevens.',
  analyticsHeading: 'Uw kenmerken in onze websitestatistieken',
  analyticsIntro:
    'Onze webwinkel gaf ons deze kenmerken van uw bezoeken door, zodat wij ze bij Google Analytics kunnen laten verwijderen:',
  clientId: 'Bezoekers-id',
  userId: 'Gebruikers-id',
  unknownPurpose: 'een doel dat niet meer in ons privacybeleid staat',
  consentSource: (s) => CONSENT_SOURCES[s]?.nl ?? s.replace(/[-_]+/g, ' '),
  portabilityNote: (categories) =>
    'Dit pakket bevat de gegevens die u ons zelf gaf of die wij vastlegden bij uw gebruik van onze website en winkel, ' +
    `voor zover wij ze verwerken met uw toestemming of voor de overeenkomst met u (artikel 20 AVG): ${categories}. ` +
    'Gegevens die wij zelf maakten of van anderen kregen, en gegevens die wij verwerken omdat de wet dat eist, vallen niet ' +
    'onder dit recht. Met een verzoek om inzage krijgt u alles wat wij over u hebben.',
  portabilityNothing:
    'Wij hebben geen gegevens over u die u ons zelf gaf en die wij met uw toestemming of voor de overeenkomst verwerken ' +
    '(artikel 20 AVG). Met een verzoek om inzage krijgt u alles wat wij over u hebben.',
  mailFacts: {
    purposes: 'Waarvoor wij uw gegevens gebruiken, en op welke grond:',
    categories: 'Welke soorten gegevens wij over u hebben:',
    recipients: 'Wie uw gegevens ontvangt:',
    retention: 'Hoe lang wij ze bewaren:',
    sources: 'Gegevens die niet van uzelf komen:',
    transfers: 'Doorgifte buiten de Europese Economische Ruimte:',
    sealed: 'Wat wij moeten bewaren, in een afgesloten archief:',
    pending: 'Wat nog volgt:',
    rights:
      'U heeft het recht op inzage, correctie, verwijdering en beperking van de verwerking, en het recht bezwaar te maken:',
  },
};

const en: AnswerWords = {
  notStated: 'not stated',
  legalHold: 'Statutory retention duty',
  askedAlready: (name, date) =>
    `We have asked ${name} for your data. Their part is not in this package yet; you will receive it separately, by ${date}.`,
  officerWillAsk: (name, date) =>
    `We cannot query ${name} automatically. Our contact person for privacy matters will ask ${name} for your data; ` +
    `that part is not in this package yet and you will receive it later, by ${date}.`,
  purposesHeading: 'What we use your data for',
  purposesIntro: 'Per purpose: on what ground we process your data, and which of your data we use for it.',
  purposeColumns: { purpose: 'Purpose', basis: 'Legal basis', data: 'Your data' },
  categoriesHeading: 'The kinds of data we hold about you',
  retentionHeading: 'How long we keep your data',
  retentionColumns: { what: 'Data', term: 'How long', why: 'Why' },
  sourcesHeading: 'Where your data comes from',
  sourceColumns: { data: 'Data', source: 'Source' },
  transfersHeading: 'Transfers outside the European Economic Area',
  transfersIntro: 'These parties may process your data outside the EEA, with this safeguard:',
  noTransfers: 'None of the parties that receive your data processes it outside the European Economic Area.',
  automatedHeading: 'Automated decisions',
  ownPurposes: 'Controller in its own right for',
  privacyStatement: (name) => `Privacy statement of ${name}`,
  sealedHeading: 'What we must keep, in a closed archive',
  sealedIntro:
    'We keep this data because the law requires it, in a closed archive that our staff cannot access. ' +
    'At the end of the term we destroy it.',
  sealedColumns: { what: 'What', count: 'How many', until: 'Kept until', why: 'Why' },
  pendingHeading: 'Still to come',
  hubHeading: 'What we record about your privacy requests and choices',
  hubIntro: 'Our privacy system also records data about you: your requests, your choices and what follows from them.',
  requestsHeading: 'Your requests',
  requestColumns: { type: 'Request', received: 'Received', status: 'State', outcome: 'Outcome' },
  requestType: {
    access: 'Access',
    portability: 'Data portability',
    rectification: 'Rectification',
    restriction: 'Restriction of processing',
    objection: 'Objection',
    erasure: 'Erasure',
    closure: 'Closing your account',
  },
  status: {
    awaiting_verification: 'waiting for your confirmation',
    awaiting_identity: 'waiting for identification',
    verified: 'confirmed',
    in_progress: 'being handled',
    awaiting_decision: 'waiting for our decision',
    waiting_on_tasks: 'waiting for other parties',
    completed: 'completed',
    rejected: 'declined',
    expired: 'expired, not confirmed',
  },
  outcome: (o) => OUTCOMES[o]?.en,
  restricted: (since) =>
    since
      ? `The processing of your data has been restricted since ${since}.`
      : 'The processing of your data is restricted.',
  objection: (purposes) => `You have objected to: ${purposes}.`,
  objectionAll: 'You have objected to the processing of your data.',
  analyticsHeading: 'Your identifiers in our website statistics',
  analyticsIntro:
    'Our webshop passed these identifiers of your visits on to us, so that we can have them deleted at Google Analytics:',
  clientId: 'Visitor id',
  userId: 'User id',
  unknownPurpose: 'a purpose no longer in our privacy policy',
  consentSource: (s) => CONSENT_SOURCES[s]?.en ?? s.replace(/[-_]+/g, ' '),
  portabilityNote: (categories) =>
    'This package holds the data you gave us yourself or that we recorded as you used our website and shop, as far ' +
    `as we process it with your consent or for our contract with you (GDPR Article 20): ${categories}. Data we made ` +
    'ourselves or received from others, and data we process because the law requires it, fall outside this right. ' +
    'A request for access gives you everything we hold about you.',
  portabilityNothing:
    'We hold no data about you that you gave us yourself and that we process with your consent or for our contract ' +
    '(GDPR Article 20). A request for access gives you everything we hold about you.',
  mailFacts: {
    purposes: 'What we use your data for, and on what ground:',
    categories: 'The kinds of data we hold about you:',
    recipients: 'Who receives your data:',
    retention: 'How long we keep it:',
    sources: 'Data that does not come from you:',
    transfers: 'Transfers outside the European Economic Area:',
    sealed: 'What we must keep, in a closed archive:',
    pending: 'Still to come:',
    rights:
      'You have the right of access, rectification, erasure and restriction of processing, and the right to object:',
  },
};

export const answerWords = (lang: Lang): AnswerWords => (lang === 'en' ? en : nl);
