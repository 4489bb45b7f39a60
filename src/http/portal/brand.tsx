import type { Branding } from '../../lib/branding.ts';
import type { Lang } from '../lang.ts';

/**
 * The shop's look in the portal's header (layout.tsx) and on /privacy: logo, name, colour and the way
 * back to the shop. The colours go in as CSS custom properties that portal.css reads.
 */

/** `--brand`, `--on-brand` and `--accent` for portal.css, on <body>; nothing without branding (its defaults hold). */
export function brandStyle(branding: Branding | undefined): string | undefined {
  if (!branding) return undefined;
  return `--brand:${branding.primaryColor};--on-brand:${branding.onPrimary};--accent:${branding.linkColor}`;
}

/** Logo and name. The logo's alt text is empty: the name beside it says the same. */
export function BrandMark({ branding, name }: { branding: Branding | undefined; name: string }) {
  return (
    <>
      {branding?.logo && <img class="logo" src={branding.logo.src} alt="" height="32" />}
      <span>{name}</span>
    </>
  );
}

const BACK = { nl: (host: string) => `Terug naar ${host}`, en: (host: string) => `Back to ${host}` } as const;

/** "Terug naar balkonzon.nl", when the shop gave its address. */
export function ShopLink({ branding, lang }: { branding: Branding | undefined; lang: Lang }) {
  if (!branding?.shopUrl) return null;
  const host = new URL(branding.shopUrl).host.replace(/^www\./, '');
  return (
    <a class="shop-link" href={branding.shopUrl}>
      {BACK[lang](host)}
    </a>
  );
}
