/**
 * What the server embeds in `/banner.js`: the policy's cookie section, reduced to what the banner
 * shows and decides on. Short keys, because every byte goes to every visitor of the shop.
 */
export interface Localized {
  nl: string;
  en: string;
}

/** A category id → the visitor's choice. Required categories are always true. */
export type Choices = Record<string, boolean>;

export interface BannerCookie {
  /** Cookie name; `<…>` stands for a variable part, e.g. `_ga_<container-id>`. */
  n: string;
  /** The service that sets it. */
  s: string;
  /** Purpose. */
  p: Localized;
}

export interface BannerCategory {
  id: string;
  /** Required: always on, not a choice. */
  req: boolean;
  title: Localized;
  desc: Localized;
  /** Google Consent Mode signals granted with this category. */
  sig: string[];
  cookies: BannerCookie[];
}

export interface BannerTexts {
  title: string;
  intro: string;
  accept: string;
  reject: string;
  settings: string;
  settingsTitle: string;
  settingsIntro: string;
  save: string;
  always: string;
  policy: string;
  consentId: string;
}

export interface BannerConfig {
  /** Banner version: a hash of the script's source and this config; stored with every proof. */
  v: string;
  /** Policy version; a stored choice for another version is asked again. */
  pv: string;
  /** How long a choice holds: [years, months, days]. */
  valid: [number, number, number];
  /** The hub's base URL: proof goes to `${hub}/api/v1/consents`. */
  hub: string;
  cats: BannerCategory[];
  /** Services in Consent Mode `advanced`: their gated scripts load before consent, with signals denied. */
  adv: string[];
  t: { nl: BannerTexts; en: BannerTexts };
}
