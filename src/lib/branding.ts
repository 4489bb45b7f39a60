import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import namesPlugin from 'colord/plugins/names';

extend([a11yPlugin, namesPlugin]);

/**
 * The shop's look (the config folder's `branding.yaml`, loaded in src/config/branding.ts): its name, logo,
 * colour and the way back to the shop, as the portal, /privacy, e-mails and the banner use them. Colours
 * here are already made readable: whatever colour a shop chooses, text on it and links in it keep the
 * contrast WCAG 2.2 SC 1.4.3 asks (4.5:1 for normal text).
 */
export interface Branding {
  /** The name shown in headers and e-mails, e.g. "Balkonzon". */
  name: string;
  logo?: BrandLogo;
  /** The shop's own colour, `#rrggbb`: header bar, buttons. */
  primaryColor: string;
  /** Text on the primary colour: white or black, whichever reads better (always at least 4.5:1). */
  onPrimary: string;
  /** Links and accents on white: the primary colour, darkened until it reads at 4.5:1. */
  linkColor: string;
  /** The shop's own site, for a link back from the portal and /privacy. */
  shopUrl?: string;
}

export interface BrandLogo {
  /** Where pages load it: `/assets/brand-logo` for a file in the config folder, or its https URL. */
  src: string;
  /** The same as an absolute URL, for e-mails (they have no page to be relative to). */
  absolute: string;
  /** A file in the config folder, served by the hub; absent for a logo on the shop's own server. */
  file?: { path: string; contentType: string };
}

/** WCAG 2.2 SC 1.4.3: normal text needs a contrast ratio of at least 4.5:1. */
export const MIN_TEXT_CONTRAST = 4.5;

/** The colour in canonical `#rrggbb`, or undefined when CSS would not read it as a colour. */
export function normalizeColor(value: string): string | undefined {
  const c = colord(value.trim());
  if (!c.isValid()) return undefined;
  // A logo's colour is opaque; a translucent one would read differently on every background.
  return c.alpha(1).toHex().slice(0, 7);
}

/** White or black text on `background`, whichever has more contrast (the better one always reaches 4.58:1). */
export function textOn(background: string): string {
  const bg = colord(background);
  return bg.contrast('#ffffff') >= bg.contrast('#000000') ? '#ffffff' : '#000000';
}

/** `color` itself when it reads on white at 4.5:1, else the same hue darkened step by step until it does. */
export function readableOnWhite(color: string): string {
  let c = colord(color);
  for (let i = 0; i < 40 && c.contrast('#ffffff') < MIN_TEXT_CONTRAST; i++) c = c.darken(0.025);
  return c.toHex().slice(0, 7);
}

/** The colours of a brand from its primary colour. */
export function brandColors(primary: string): Pick<Branding, 'primaryColor' | 'onPrimary' | 'linkColor'> {
  return { primaryColor: primary, onPrimary: textOn(primary), linkColor: readableOnWhite(primary) };
}

/** Inzage's own green, when a shop sets no colour. */
export const DEFAULT_PRIMARY_COLOR = '#0b6e4f';

/** The look of a shop that has no branding.yaml: its policy's name and Inzage's colour. */
export function defaultBranding(name: string): Branding {
  return { name, ...brandColors(DEFAULT_PRIMARY_COLOR) };
}
