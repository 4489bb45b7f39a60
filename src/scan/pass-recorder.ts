import { parseCookieWrite, sameCookieDomain } from './cookie-writes.ts';
import { identifierParams } from './identifiers.ts';
import type { ShopOrigins } from './patterns.ts';
import { hostMatches } from './patterns.ts';
import type { ProbeMessage } from './probe.ts';
import type {
  ConsentCall,
  CookieSeen,
  PassName,
  PassReport,
  RequestSeen,
  ScriptSeen,
  StorageSeen,
  TagFired,
} from './scan.types.ts';

/** A cookie as the browser's jar holds it (playwright's `context.cookies()`). */
export interface JarCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Seconds since the epoch; -1 for a session cookie. */
  expires: number;
}

/** Hosts Google tags send measurements to: a request there is a tag that fired. */
const GOOGLE_MEASUREMENT = [
  '*.google-analytics.com',
  '*.analytics.google.com',
  '*.doubleclick.net',
  '*.googleadservices.com',
];

interface Write {
  name: string;
  domain: string;
  kind: 'response' | 'script';
  url: string | null;
  at: number;
}

/** A top-level document of a visited page, for the order of Consent Mode calls within it. */
interface Doc {
  id: string;
  page: string;
  startedAt: number;
  defaultAt?: number;
}

const withoutQuery = (u: URL) => `${u.protocol}//${u.host}${u.pathname}`;

/**
 * Everything one pass saw, fed by the browser glue (visit.ts) as events arrive: the probe's messages,
 * requests, Set-Cookie headers, scripts, and snapshots of the cookie jar and web storage. What happened
 * after the banner was clicked (`choose`) is told apart from what happened before.
 */
export class PassRecorder {
  #page = '';
  #choiceAt: number | undefined;
  readonly #writes: Write[] = [];
  readonly #cookies = new Map<string, CookieSeen>();
  readonly #jar = new Map<string, { value: string; expires: number }>();
  readonly #cookieValues = new Set<string>();
  readonly #storage = new Map<string, StorageSeen>();
  readonly #requests = new Map<string, RequestSeen>();
  readonly #scripts = new Map<string, ScriptSeen>();
  readonly #consent: ConsentCall[] = [];
  readonly #tags: TagFired[] = [];
  readonly #measurements: { what: string; at: number; page: string }[] = [];
  readonly #docs: Doc[] = [];
  readonly #errors: { page: string; message: string }[] = [];

  constructor(
    readonly name: PassName,
    private readonly shop: ShopOrigins,
  ) {}

  beginPage(url: string): void {
    this.#page = url;
  }

  choose(at: number): void {
    this.#choiceAt = at;
  }

  #after(at: number): boolean {
    return this.#choiceAt !== undefined && at >= this.#choiceAt;
  }

  probe(m: ProbeMessage): void {
    if (m.t === 'doc') {
      this.#docs.push({ id: m.doc, page: this.#page, startedAt: m.at });
      return;
    }
    if (m.t === 'cookie') {
      const write = parseCookieWrite(m.text, m.at);
      if (write && !write.deletes) {
        const domain = m.domain ?? write.domain ?? safeHost(m.frame);
        this.#writes.push({ name: write.name, domain, kind: 'script', url: m.by, at: m.at });
      }
      return;
    }
    if (!m.top) return;
    const doc = this.#docs.find((d) => d.id === m.doc);
    const page = doc?.page ?? this.#page;
    const afterChoice = this.#after(m.at);
    if (m.cmd === 'consent') {
      this.#consent.push({ page, call: m.arg ?? '', signals: m.params ?? {}, afterChoice });
      if (m.arg === 'default' && doc && doc.defaultAt === undefined) doc.defaultAt = m.at;
    } else if (m.cmd === 'config' || m.cmd === 'event' || (m.cmd === 'object' && m.arg?.startsWith('gtm.'))) {
      const what = m.cmd === 'object' ? (m.arg ?? '') : `${m.cmd} ${m.arg ?? ''}`.trim();
      this.#tags.push({ page, what, afterDefault: doc?.defaultAt !== undefined, afterChoice });
    }
  }

  /** A request of the page; returns a function to call when its headers say it carried a cookie. */
  request(r: { url: string; type: string; at: number }): (carriedCookie: boolean) => void {
    const url = safeUrl(r.url);
    if (!url || !/^https?:$/.test(url.protocol) || this.shop.ownsUrl(url)) return () => {};
    const afterChoice = this.#after(r.at);
    const host = url.hostname;
    if (GOOGLE_MEASUREMENT.some((p) => hostMatches(p, host))) {
      this.#measurements.push({ what: host, at: r.at, page: this.#page });
    }
    const key = `${url.host}|${r.type}|${withoutQuery(url)}|${afterChoice}`;
    let seen = this.#requests.get(key);
    if (!seen) {
      seen = {
        host,
        type: r.type,
        url: withoutQuery(url),
        count: 0,
        cookie: false,
        identifiers: [],
        page: this.#page,
        afterChoice,
      };
      this.#requests.set(key, seen);
    }
    seen.count++;
    for (const id of identifierParams(url, this.#cookieValues))
      if (!seen.identifiers.includes(id)) seen.identifiers.push(id);
    const entry = seen;
    return (carriedCookie) => {
      entry.cookie ||= carriedCookie;
    };
  }

  /** The Set-Cookie headers of a response. */
  responseCookies(r: { url: string; setCookies: string[]; at: number }): void {
    const url = safeUrl(r.url);
    if (!url) return;
    for (const line of r.setCookies) {
      const write = parseCookieWrite(line, r.at);
      if (!write || write.deletes) continue;
      this.#writes.push({
        name: write.name,
        domain: write.domain ?? url.hostname,
        kind: 'response',
        url: withoutQuery(url),
        at: r.at,
      });
    }
  }

  script(rawUrl: string, at: number): void {
    const url = safeUrl(rawUrl);
    if (!url || !/^https?:$/.test(url.protocol)) return;
    const afterChoice = this.#after(at);
    const key = `${withoutQuery(url)}|${afterChoice}`;
    if (!this.#scripts.has(key)) {
      this.#scripts.set(key, { url: withoutQuery(url), host: url.hostname, page: this.#page, afterChoice });
    }
  }

  /**
   * What the jar holds now. A cookie is new, or set again when its value or expiry changed, or a script or
   * response wrote it since the last look: after the choice that is a cookie the choice did not stop.
   */
  jar(cookies: readonly JarCookie[], at: number, since: number): void {
    for (const c of cookies) {
      this.#cookieValues.add(c.value);
      const key = `${c.name}|${c.domain}|${c.path}`;
      const before = this.#jar.get(key);
      this.#jar.set(key, { value: c.value, expires: c.expires });
      const writes = this.#writes.filter((w) => w.name === c.name && sameCookieDomain(c.domain, w.domain));
      const changed = !before || before.value !== c.value || before.expires !== c.expires;
      const writtenNow = writes.some((w) => w.at >= since);
      if (!changed && !writtenNow) continue;
      const afterChoice = this.#after(at);
      const seenKey = `${key}|${afterChoice}`;
      if (this.#cookies.has(seenKey)) continue;
      const by = (afterChoice ? writes.filter((w) => this.#after(w.at)) : writes)[0] ?? writes[0];
      this.#cookies.set(seenKey, {
        name: c.name,
        domain: c.domain.replace(/^\./, ''),
        path: c.path,
        expires: c.expires > 0 ? new Date(c.expires * 1000).toISOString() : null,
        party: this.shop.ownsDomain(c.domain) ? 'first' : 'third',
        setBy: by ? { kind: by.kind, url: by.url } : { kind: 'unknown', url: null },
        page: this.#page,
        afterChoice,
      });
    }
  }

  storage(entries: readonly { kind: StorageSeen['kind']; origin: string; key: string }[], at: number): void {
    const afterChoice = this.#after(at);
    for (const e of entries) {
      const key = `${e.kind}|${e.origin}|${e.key}`;
      // Seen before the choice and still there: not new after it.
      if (this.#storage.has(`${key}|false`) || this.#storage.has(`${key}|${afterChoice}`)) continue;
      this.#storage.set(`${key}|${afterChoice}`, { ...e, page: this.#page, afterChoice });
    }
  }

  error(page: string, message: string): void {
    this.#errors.push({ page, message });
  }

  report(choice: PassReport['choice']): PassReport {
    return {
      name: this.name,
      choice,
      cookies: [...this.#cookies.values()],
      storage: [...this.#storage.values()],
      requests: [...this.#requests.values()],
      scripts: [...this.#scripts.values()],
      consentMode: this.#consent,
      tags: [...this.#tags, ...this.#measurementTags()],
      errors: this.#errors,
    };
  }

  /** Measurement requests judged against the Consent Mode default of the document they came from. */
  #measurementTags(): TagFired[] {
    return this.#measurements.map((m) => {
      const docs = this.#docs.filter((d) => d.page === m.page && d.startedAt <= m.at);
      const doc = docs[docs.length - 1];
      const afterDefault = doc?.defaultAt !== undefined && doc.defaultAt <= m.at;
      return { page: m.page, what: m.what, afterDefault, afterChoice: this.#after(m.at) };
    });
  }
}

function safeUrl(u: string): URL | undefined {
  return URL.canParse(u) ? new URL(u) : undefined;
}

function safeHost(u: string): string {
  return safeUrl(u)?.hostname ?? '';
}
