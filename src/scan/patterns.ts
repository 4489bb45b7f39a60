import type * as tldtsTypes from 'tldts';
import { lazily } from '../lib/lazy-require.ts';

// The public-suffix list is large; it is loaded when a host is first compared.
const tldts = lazily<typeof tldtsTypes>('tldts');

/**
 * Names and hosts as the policy writes them, matched against what a browser saw. A cookie name may
 * hold `*` or a `<placeholder>` for a variable part (`_ga_*`, `_ga_<container-id>`); a host may start
 * with `*.` for every subdomain (`*.google-analytics.com`, not `google-analytics.com` itself).
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a declared cookie name (perhaps a pattern) covers the cookie `name`. */
export function cookieNameMatches(pattern: string, name: string): boolean {
  if (!/[*<]/.test(pattern)) return pattern === name;
  const parts = pattern.split(/\*|<[^>]*>/).map(escapeRegExp);
  return new RegExp(`^${parts.join('.+')}$`).test(name);
}

/** Whether a declared host (perhaps `*.domain`, perhaps with `:port`) covers `host` (`hostname[:port]`). */
export function hostMatches(pattern: string, host: string): boolean {
  const [patternName, patternPort] = splitPort(pattern.toLowerCase());
  const [name, port] = splitPort(host.toLowerCase());
  if (patternPort && patternPort !== port) return false;
  if (patternName.startsWith('*.')) return name.endsWith(patternName.slice(1));
  return name === patternName;
}

function splitPort(host: string): [string, string | undefined] {
  const at = host.lastIndexOf(':');
  return at > 0 && /^\d+$/.test(host.slice(at + 1)) ? [host.slice(0, at), host.slice(at + 1)] : [host, undefined];
}

/**
 * The site a host belongs to: its registrable domain by the Public Suffix List (`www.balkonzon.nl` and
 * `cdn.balkonzon.nl` are both `balkonzon.nl`), or the host itself for an IP address or `localhost`.
 */
export function siteOf(hostname: string): string {
  const host = hostname
    .toLowerCase()
    .replace(/^\./, '')
    .replace(/^\[|\]$/g, '');
  return tldts().getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/** The shop's own origins, and a test whether a URL or cookie domain belongs to the shop. */
export class ShopOrigins {
  readonly origins: ReadonlySet<string>;
  readonly #sites: ReadonlySet<string>;

  constructor(origins: Iterable<string>) {
    this.origins = new Set([...origins].map((o) => new URL(o).origin));
    this.#sites = new Set([...this.origins].map((o) => siteOf(new URL(o).hostname)));
  }

  /** One of the shop's origins, or another host of the same site (`cdn.balkonzon.nl` for `www.balkonzon.nl`). */
  ownsUrl(url: URL): boolean {
    return this.origins.has(url.origin) || this.#sites.has(siteOf(url.hostname));
  }

  /** A cookie domain (`.balkonzon.nl`, `localhost`) of the shop's site: a first-party cookie. */
  ownsDomain(domain: string): boolean {
    return this.#sites.has(siteOf(domain));
  }
}
