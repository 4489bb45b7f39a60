/**
 * What `inzage scan` reports (`--json`): the pages visited, what each pass saw, and the findings
 * against the policy. Nothing here holds a cookie's or a parameter's value: names only.
 */

/** The three passes: no choice made, after *Alles weigeren*, after *Alles accepteren*. */
export const PASSES = ['no-choice', 'reject', 'accept'] as const;
export type PassName = (typeof PASSES)[number];

export type FindingKind =
  | 'cookie-before-consent'
  | 'host-before-consent'
  | 'cookie-after-reject'
  | 'host-after-reject'
  | 'undeclared-cookie'
  | 'undeclared-host'
  | 'consent-mode-order'
  | 'declared-not-seen';

export interface Finding {
  kind: FindingKind;
  severity: 'error' | 'warning';
  /** The cookie's name, the host, or the Google tag command; for declared-not-seen the policy's pattern. */
  name: string;
  /** The cookie's domain or the request's host; null where there is none. */
  host: string | null;
  /** The page where it was first seen; null for declared-not-seen. */
  page: string | null;
  pass: PassName | null;
}

export interface CookieSeen {
  name: string;
  domain: string;
  path: string;
  /** ISO time; null for a session cookie. */
  expires: string | null;
  party: 'first' | 'third';
  /** A response's Set-Cookie header, a script (document.cookie or cookieStore), or not known. */
  setBy: { kind: 'response' | 'script' | 'unknown'; url: string | null };
  /** The page it was first seen on in this pass. */
  page: string;
  /** Set (or set again) after the choice was made in this pass. */
  afterChoice: boolean;
}

export interface StorageSeen {
  kind: 'localStorage' | 'sessionStorage';
  origin: string;
  key: string;
  page: string;
  afterChoice: boolean;
}

/** Requests to a host that is not the shop's, one entry per host, type and path. */
export interface RequestSeen {
  host: string;
  /** Chromium's resource type: script, image, xhr, fetch, document, stylesheet, … */
  type: string;
  /** Scheme, host and path, without the query. */
  url: string;
  count: number;
  /** At least one of them carried a Cookie header. */
  cookie: boolean;
  /** Query parameters that looked like an identifier (names only). */
  identifiers: string[];
  page: string;
  afterChoice: boolean;
}

export interface ScriptSeen {
  url: string;
  host: string;
  page: string;
  afterChoice: boolean;
}

/** A `gtag('consent', …)` call, in the order the page made them. */
export interface ConsentCall {
  page: string;
  call: string;
  signals: Record<string, string | number | boolean>;
  afterChoice: boolean;
}

/** A Google tag that fired (a gtag `config`/`event`, a GTM event, a measurement request) on a page. */
export interface TagFired {
  page: string;
  /** `config G-…`, `event page_view`, `gtm.js`, or the measurement host. */
  what: string;
  /** Whether a `consent default` had been given on that page before it. */
  afterDefault: boolean;
  afterChoice: boolean;
}

export interface PassReport {
  name: PassName;
  /** Whose banner was clicked: Inzage's, one named in scan.yaml, none found, or no choice asked. */
  choice: 'none' | 'inzage-banner' | 'configured-banner' | 'banner-not-found';
  cookies: CookieSeen[];
  storage: StorageSeen[];
  requests: RequestSeen[];
  scripts: ScriptSeen[];
  consentMode: ConsentCall[];
  tags: TagFired[];
  /** Pages that did not load (a timeout, a refused connection) or answered 4xx/5xx. */
  errors: { page: string; message: string }[];
}

export interface ScanReport {
  pages: string[];
  passes: PassReport[];
  findings: Finding[];
  startedAt: string;
  seconds: number;
  /** Why the scan stopped before every pass saw every page (the total time limit), if it did. */
  incomplete?: string;
}

export const errorsIn = (findings: readonly Finding[]) => findings.filter((f) => f.severity === 'error');
