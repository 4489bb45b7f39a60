import type { DeskLang } from './desk-lang.ts';

/**
 * The audit trail in words: who did what. Each action the app records has a phrase in both languages;
 * the groups are the page's filter. An action without words is shown as its code, marked as such.
 */
export const ACTION_GROUPS = {
  logins: ['login', 'login.failed', 'login.locked', 'login.refused', 'logout', 'logout.everywhere'],
  accounts: ['user.add', 'user.disable', 'user.reset', 'user.setup', 'user.language'],
  requests: [
    'request.create',
    'request.view',
    'request.approve',
    'request.reject',
    'request.extend',
    'request.verify-identity',
    'request.lift',
    'request.erased',
    'task.done',
    'export.download',
    'export.create',
  ],
  customers: ['customer.lookup', 'customer.search', 'archive.open', 'subject.erase'],
  retention: ['retention.review', 'retention.approve', 'retention.run'],
  registers: [
    'register.breach.create',
    'register.breach.update',
    'register.disclosure.create',
    'register.disclosure.update',
  ],
  policy: ['policy.publish', 'policy.notify.start'],
} as const;
export type ActionGroup = keyof typeof ACTION_GROUPS;
export const ACTION_GROUP_IDS = Object.keys(ACTION_GROUPS) as ActionGroup[];

export const GROUP_LABEL: Record<DeskLang, Record<ActionGroup, string>> = {
  nl: {
    logins: 'inloggen en uitloggen',
    accounts: 'accounts',
    requests: 'verzoeken en taken',
    customers: 'klanten opzoeken en het archief',
    retention: 'bewaartermijnen',
    registers: 'registers',
    policy: 'privacybeleid',
  },
  en: {
    logins: 'logging in and out',
    accounts: 'accounts',
    requests: 'requests and tasks',
    customers: 'customer lookups and the archive',
    retention: 'retention',
    registers: 'registers',
    policy: 'privacy policy',
  },
};

const ACTIONS: Record<DeskLang, Record<string, string>> = {
  nl: {
    login: 'logde in',
    'login.failed': 'probeerde in te loggen, zonder succes',
    'login.locked': 'werd na mislukte pogingen tijdelijk geblokkeerd',
    'login.refused': 'probeerde in te loggen terwijl dat geblokkeerd was',
    logout: 'logde uit',
    'logout.everywhere': 'logde overal uit',
    'user.add': 'maakte een account aan',
    'user.disable': 'zette een account uit',
    'user.reset': 'gaf een account een nieuwe instellink',
    'user.setup': 'stelde het eigen account in',
    'user.language': 'koos de taal van de back office',
    'request.create': 'voerde een verzoek in',
    'request.view': 'bekeek een verzoek',
    'request.approve': 'keurde een verzoek goed',
    'request.reject': 'wees een verzoek af',
    'request.extend': 'verlengde de termijn van een verzoek',
    'request.verify-identity': 'bevestigde de identiteit bij een verzoek',
    'request.lift': 'kondigde het opheffen van een beperking aan',
    'request.erased': 'wiste de gegevens van een persoon op verzoek',
    'task.done': 'rondde een taak bij een verwerker af',
    'export.download': 'downloadde het exportbestand van een verzoek',
    'export.create': 'maakte een export van de gegevens van een persoon',
    'customer.lookup': 'zocht een klant op',
    'customer.search': 'zocht klanten op een deel van een adres of een naam',
    'archive.open': 'opende het verzegelde archief',
    'subject.erase': 'wiste een persoon vanaf de opdrachtregel',
    'retention.review': 'bekeek het bewaartermijnplan met de lijst van personen',
    'retention.approve': 'keurde een bewaartermijn-run goed',
    'retention.run': 'voerde de bewaartermijnen uit',
    'register.breach.create': 'legde een datalek vast',
    'register.breach.update': 'werkte een datalek bij',
    'register.disclosure.create': 'legde een verstrekking aan een instantie vast',
    'register.disclosure.update': 'werkte een verstrekking bij',
    'policy.publish': 'publiceerde een versie van het privacybeleid',
    'policy.notify.start': 'begon betrokkenen over een beleidswijziging te informeren',
  },
  en: {
    login: 'logged in',
    'login.failed': 'tried to log in, without success',
    'login.locked': 'was locked out for a while after failed attempts',
    'login.refused': 'tried to log in while locked out',
    logout: 'logged out',
    'logout.everywhere': 'logged out everywhere',
    'user.add': 'created an account',
    'user.disable': 'disabled an account',
    'user.reset': 'gave an account a new setup link',
    'user.setup': 'set up their own account',
    'user.language': 'chose the back office’s language',
    'request.create': 'entered a request',
    'request.view': 'looked at a request',
    'request.approve': 'approved a request',
    'request.reject': 'declined a request',
    'request.extend': 'extended the deadline of a request',
    'request.verify-identity': 'confirmed the identity for a request',
    'request.lift': 'announced the lifting of a restriction',
    'request.erased': 'erased a person’s data on request',
    'task.done': 'closed a task at a processor',
    'export.download': 'downloaded the export file of a request',
    'export.create': 'made an export of a person’s data',
    'customer.lookup': 'looked up a customer',
    'customer.search': 'searched customers by part of an address or a name',
    'archive.open': 'opened the sealed archive',
    'subject.erase': 'erased a person from the command line',
    'retention.review': 'looked at the retention plan with its list of people',
    'retention.approve': 'approved a retention run',
    'retention.run': 'ran the retention rules',
    'register.breach.create': 'recorded a data breach',
    'register.breach.update': 'updated a data breach',
    'register.disclosure.create': 'recorded a disclosure to an authority',
    'register.disclosure.update': 'updated a disclosure',
    'policy.publish': 'published a version of the privacy policy',
    'policy.notify.start': 'began telling people about a policy change',
  },
};

/** The action in words, or undefined when the desk has none for it (the page then shows the code). */
export const actionWords = (action: string, lang: DeskLang): string | undefined => ACTIONS[lang][action];

export const ACTOR_WORDS: Record<DeskLang, { system: string; cli: string; unknownUser: string; unknown: string }> = {
  nl: {
    system: 'Het systeem',
    cli: 'De beheerder (opdrachtregel)',
    unknownUser: 'Een account dat niet meer bestaat',
    unknown: 'Onbekend',
  },
  en: {
    system: 'The system',
    cli: 'The administrator (command line)',
    unknownUser: 'An account that no longer exists',
    unknown: 'Unknown',
  },
};
