import type { Finding, PassName } from './scan.types.ts';

/**
 * A finding in a sentence, for the officer's dashboard and e-mail (Dutch first, English second). The
 * page is the address the scan visited; nothing else about the scan's own workings is named.
 */
export type Lang = 'nl' | 'en';

const PASS: Record<Lang, Record<PassName, string>> = {
  nl: { 'no-choice': 'zonder keuze', reject: 'na "Alles weigeren"', accept: 'na "Alles accepteren"' },
  en: { 'no-choice': 'without a choice', reject: 'after "Alles weigeren"', accept: 'after "Alles accepteren"' },
};

export const passWords = (pass: PassName, lang: Lang) => PASS[lang][pass];

/** `Cookie _fbp (balkonzon.nl) gezet vóór een keuze`: what was seen, without where. */
export function findingSentence(f: Pick<Finding, 'kind' | 'name' | 'host'>, lang: Lang): string {
  const cookie = `Cookie ${f.name}${f.host ? ` (${f.host})` : ''}`;
  const host = f.host ?? f.name;
  const nl = lang === 'nl';
  switch (f.kind) {
    case 'cookie-before-consent':
      return nl
        ? `${cookie} gezet vóór een keuze, zonder toestemming`
        : `${cookie} set before any choice, without consent`;
    case 'host-before-consent':
      return nl
        ? `${host} benaderd vóór een keuze, zonder toestemming`
        : `${host} reached before any choice, without consent`;
    case 'cookie-after-reject':
      return nl ? `${cookie} gezet nadat alles geweigerd was` : `${cookie} set after everything was rejected`;
    case 'host-after-reject':
      return nl ? `${host} benaderd nadat alles geweigerd was` : `${host} reached after everything was rejected`;
    case 'undeclared-cookie':
      return nl ? `${cookie} staat niet in het privacybeleid` : `${cookie} is not in the privacy policy`;
    case 'undeclared-host':
      return nl
        ? `${host} staat bij geen verwerker of cookiedienst in het privacybeleid`
        : `${host} is named by no processor or cookie service of the privacy policy`;
    case 'consent-mode-order':
      return nl
        ? `Google-tag (${f.name}) vóór de standaardinstelling van Consent Mode`
        : `Google tag (${f.name}) before the Consent Mode default`;
    case 'declared-not-seen':
      return nl
        ? `${f.name} staat in het privacybeleid maar werd niet gezien`
        : `${f.name} is in the privacy policy but was not seen`;
  }
}

/** The sentence with its page and pass: `…; op https://…/aanbieding, zonder keuze`. */
export function findingLine(f: Finding, lang: Lang): string {
  const where = [f.page, f.pass ? passWords(f.pass, lang) : undefined].filter(Boolean).join(', ');
  return where ? `${findingSentence(f, lang)}; ${lang === 'nl' ? 'op' : 'on'} ${where}` : findingSentence(f, lang);
}
