/**
 * The cookie banner, as it runs in the shop's page. Built by esbuild into `/banner.js` with its
 * config (`__INZAGE_CONFIG__`) and CSS (`__INZAGE_CSS__`) inlined. No framework: every byte goes
 * to every visitor. Order matters: Consent Mode defaults first, before any tag can run.
 */
import type { BannerCategory, BannerConfig, Choices } from './banner-config.ts';

declare const __INZAGE_CONFIG__: BannerConfig;
declare const __INZAGE_CSS__: string;

interface Stored {
  id: string;
  c: Choices;
  pv: string;
  t: number;
  gpc: boolean;
}
interface Proof {
  consentId: string;
  choices: Choices;
  policyVersion: string;
  gpc: boolean;
  bannerVersion: string;
}

const C = __INZAGE_CONFIG__;
const KEY = 'inzage_consent';
const QUEUE = 'inzage_consent_queue';
const d = document;
const w = window as unknown as { dataLayer: unknown[]; gtag: (...a: unknown[]) => void; inzageConsent: unknown };
const me = d.currentScript as HTMLScriptElement | null;
const lang = (me?.dataset.lang || d.documentElement.lang).slice(0, 2).toLowerCase() === 'en' ? 'en' : 'nl';
const T = C.t[lang];
const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
const SIGNALS =
  'ad_storage ad_user_data ad_personalization analytics_storage functionality_storage personalization_storage security_storage'.split(
    ' ',
  );

w.dataLayer = w.dataLayer || [];
w.gtag =
  w.gtag ||
  function () {
    // gtag.js reads the Arguments object itself, not an array.
    // biome-ignore lint/complexity/noArguments: that is the gtag contract
    w.dataLayer.push(arguments);
  };

/** Consent Mode signals for a choice; everything denied without one. */
function signals(c?: Choices): Record<string, string | number> {
  const o: Record<string, string | number> = {};
  for (const s of SIGNALS) o[s] = 'denied';
  for (const cat of C.cats) if (c?.[cat.id]) for (const s of cat.sig) o[s] = 'granted';
  return o;
}
w.gtag('consent', 'default', { ...signals(), wait_for_update: 500 });

const store = {
  get: (k: string) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k: string, v: string) => {
    try {
      localStorage.setItem(k, v);
    } catch {}
  },
};
const setCookie = (c: string) => {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and not in every browser
  d.cookie = c;
};
const parse = <X>(s: string | null | undefined, fallback: X): X => {
  try {
    return s ? JSON.parse(s) : fallback;
  } catch {
    return fallback;
  }
};
const cookieValue = d.cookie.match(/(?:^|; )inzage_consent=([^;]*)/)?.[1];
const fromStorage = store.get(KEY);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A stored choice as this banner writes it, or null: anything else (planted, damaged) counts as none. */
function checked(v: unknown): Stored | null {
  const x = v as Partial<Stored> | null;
  if (!x || typeof x !== 'object' || typeof x.id !== 'string' || !UUID.test(x.id)) return null;
  if (typeof x.pv !== 'string' || typeof x.t !== 'number' || x.t > Date.now() + 3e5) return null;
  const c = x.c as Record<string, unknown> | undefined;
  if (!c || typeof c !== 'object') return null;
  for (const [k, b] of Object.entries(c))
    if (typeof b !== 'boolean' || !C.cats.some((cat) => cat.id === k)) return null;
  return { id: x.id, c: c as Choices, pv: x.pv, t: x.t, gpc: x.gpc === true };
}
const previous = checked(parse(fromStorage ?? (cookieValue && decodeURIComponent(cookieValue)), null));
// A choice only in a cookie may have been set by another site under the same domain (a sibling subdomain):
// it counts once the hub holds proof of exactly that choice under its id (see start()).
const cookieOnly = !fromStorage && previous !== null;

/** When a choice made at `t` runs out: the policy's consentValidFor later. */
function expiry(t: number): number {
  const e = new Date(t);
  e.setFullYear(e.getFullYear() + C.valid[0], e.getMonth() + C.valid[1], e.getDate() + C.valid[2]);
  return +e;
}
const current = previous && previous.pv === C.pv && expiry(previous.t) > Date.now() ? previous : null;
let state = cookieOnly ? null : current;
if (state) w.gtag('consent', 'update', signals(state.c));

const uuid = (): string =>
  crypto.randomUUID
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (x) =>
        (+x ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+x / 4)))).toString(16),
      );
const all = (v: boolean): Choices => Object.fromEntries(C.cats.map((c) => [c.id, c.req || v]));
const allowed = (cat?: string) => C.cats.some((c) => c.id === cat && (c.req || state?.c[cat]));

/** Turns gated `<script type="text/plain" data-category>` into real scripts, in document order. */
function activate(): void {
  for (const old of d.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-category]')) {
    const svc = old.dataset.service;
    if (!allowed(old.dataset.category) && !(svc && C.adv.includes(svc))) continue;
    const s = d.createElement('script');
    for (const a of old.attributes) if (a.name !== 'type') s.setAttribute(a.name, a.value);
    if (old.dataset.type) s.type = old.dataset.type;
    s.text = old.text;
    s.async = false;
    old.replaceWith(s);
  }
}

/** Withdrawn consent: remove the category's cookies, on this host and the domains above it. */
function dropCookies(cat: BannerCategory): void {
  for (const pair of d.cookie.split('; ')) {
    const name = pair.split('=')[0]!;
    if (!cat.cookies.some((k) => (k.n.includes('<') ? name.startsWith(k.n.split('<')[0]!) : name === k.n))) continue;
    const parts = location.hostname.split('.');
    for (let i = 0; i <= parts.length; i++)
      setCookie(`${name}=;max-age=0;path=/${i < parts.length ? `;domain=${parts.slice(i).join('.')}` : ''}`);
  }
}

function post(p: Proof): void {
  fetch(`${C.hub}/api/v1/consents`, {
    method: 'POST',
    keepalive: true,
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(p),
  })
    // A refused proof (4xx) will not be accepted later either; only unreachable or 5xx is retried.
    .then((r) => r.status < 500 && r.status !== 429)
    .catch(() => false)
    .then((ok) => ok || store.set(QUEUE, JSON.stringify([...parse<Proof[]>(store.get(QUEUE), []), p].slice(-20))));
}

function decide(c: Choices, byGpc = false): void {
  // A stored id that is no UUID (a cookie set by someone else) would never be accepted as proof: a new one.
  const id = [state?.id, previous?.id].find((x) => typeof x === 'string' && UUID.test(x)) || uuid();
  const s: Stored = { id, c, pv: C.pv, t: Date.now(), gpc: byGpc };
  const json = JSON.stringify(s);
  store.set(KEY, json);
  setCookie(
    `${KEY}=${encodeURIComponent(json)};path=/;max-age=${((expiry(s.t) - s.t) / 1e3) | 0};samesite=lax${location.protocol === 'https:' ? ';secure' : ''}`,
  );
  for (const cat of C.cats) if (state?.c[cat.id] && !c[cat.id]) dropCookies(cat);
  state = s;
  w.gtag('consent', 'update', signals(c));
  activate();
  post({ consentId: s.id, choices: c, policyVersion: C.pv, gpc: byGpc, bannerVersion: C.v });
  d.dispatchEvent(new CustomEvent('inzage:consent', { detail: c }));
  close();
}

// ── The dialog ──────────────────────────────────────────────────────────────────────────────────
// Built with createElement and text nodes only, never innerHTML: the consent id comes from a cookie
// that a sibling subdomain can set, and nothing from storage, the URL or the server is ever markup.
let host: HTMLElement | undefined;
let root: ShadowRoot;
let dlg: HTMLElement;
let back: HTMLElement | null = null;
let layer = 0;
type Kid = Node | string | false | null | undefined;
/** An element with attributes (false/undefined left out) and children; strings become text nodes. */
function h(tag: string, attrs: Record<string, string | boolean | undefined> | null, ...kids: Kid[]): HTMLElement {
  const e = d.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...(kids.filter(Boolean) as Array<Node | string>));
  return e;
}
// Every element a shop may restyle has a `part` (README "The cookie banner"); all buttons share one part.
const button = (a: string, label: string, cls?: string) =>
  h('button', { type: 'button', 'data-a': a, part: 'button', class: cls }, label);
const link = (href: string, label: string) => h('a', { href, target: '_blank', part: 'link' }, label);

function render(settings: boolean): void {
  layer = settings ? 2 : 1;
  const head = [
    h('h2', { id: 't', part: 'title' }, settings ? T.settingsTitle : T.title),
    h(
      'p',
      { id: 'x', part: 'text' },
      `${settings ? T.settingsIntro : T.intro} `,
      link(`${C.hub}/privacy?lang=${lang}`, T.policy),
    ),
  ];
  const cats = C.cats.map((c) => {
    const cookies = c.cookies.map((k) => h('li', null, h('code', null, k.n), ` (${k.s}): ${k.p[lang]}`));
    return h(
      'li',
      { part: 'category' },
      h(
        'label',
        null,
        h('input', {
          type: 'checkbox',
          'data-c': c.id,
          checked: c.req || !!state?.c[c.id],
          disabled: c.req,
        }),
        c.title[lang],
        c.req && ' ',
        c.req && h('small', null, `(${T.always})`),
      ),
      h('p', null, c.desc[lang]),
      cookies.length > 0 && h('details', { part: 'cookies' }, h('summary', null, 'Cookies'), h('ul', null, ...cookies)),
    );
  });
  const id =
    state &&
    h(
      'p',
      { part: 'consent-id' },
      h('small', null, `${T.consentId}: `, link(`${C.hub}/api/v1/consents/${encodeURIComponent(state.id)}`, state.id)),
    );
  // The text scrolls inside the dialog (.b); the buttons below it stay in view.
  const body = h(
    'div',
    { class: 'b', part: 'body' },
    ...head,
    settings && h('ul', { part: 'categories' }, ...cats),
    settings && id,
  );
  const buttons = settings
    ? [button('v', T.save), button('1', T.accept), button('0', T.reject)]
    : [button('1', T.accept), button('0', T.reject), button('s', T.settings, 's')];
  dlg.setAttribute('data-layer', String(layer));
  dlg.replaceChildren(body, h('div', { class: 'r', part: 'buttons' }, ...buttons));
  dlg.focus();
}

function open(settings: boolean): void {
  if (!host) {
    host = d.createElement('div');
    host.id = 'inzage-consent';
    root = host.attachShadow({ mode: 'open' });
    dlg = h('div', {
      class: 'd',
      part: 'dialog',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 't',
      'aria-describedby': 'x',
      tabindex: '-1',
    });
    root.append(h('style', null, __INZAGE_CSS__), dlg);
    root.addEventListener('click', onClick);
    root.addEventListener('keydown', onKey as EventListener);
  }
  if (!host.isConnected) {
    back = d.activeElement as HTMLElement | null;
    d.body.append(host);
  }
  render(settings);
}

function close(): void {
  if (!host?.isConnected) return;
  host.remove();
  back?.focus?.();
  back = null;
}

function onClick(e: Event): void {
  const a = (e.target as Element).closest('[data-a]')?.getAttribute('data-a');
  if (a === 's') render(true);
  else if (a === 'v') {
    const c = all(false);
    for (const box of dlg.querySelectorAll<HTMLInputElement>('input[data-c]')) c[box.dataset.c!] ||= box.checked;
    decide(c);
  } else if (a) decide(all(a === '1'));
}

/** Keeps Tab inside the dialog; Escape closes only what needs no choice, and never accepts. */
function onKey(e: KeyboardEvent): void {
  if (e.key === 'Escape') {
    if (state) close();
    else if (layer === 2) render(false);
  }
  if (e.key !== 'Tab') return;
  const f = [...dlg.querySelectorAll<HTMLElement>('a[href],button,input:not([disabled]),summary')];
  const active = root.activeElement;
  const edge = e.shiftKey ? active === f[0] || active === dlg : active === f[f.length - 1];
  if (edge) {
    e.preventDefault();
    f[e.shiftKey ? f.length - 1 : 0]?.focus();
  }
}

/** Whether the hub's newest proof under this id is exactly this choice. */
async function proven(s: Stored): Promise<boolean> {
  try {
    const r = await fetch(`${C.hub}/api/v1/consents/${encodeURIComponent(s.id)}`, { credentials: 'omit' });
    if (!r.ok) return false;
    const newest = ((await r.json()) as { records?: Array<{ choices?: Choices }> }).records?.[0]?.choices ?? {};
    return C.cats.every((cat) => !!newest[cat.id] === !!s.c[cat.id]);
  } catch {
    return false;
  }
}

function start(): void {
  activate();
  if (cookieOnly && current && !gpc) {
    // Until the hub confirms it, the cookie's choice grants nothing; then it counts, or the banner asks.
    void proven(current).then((ok) => {
      if (!ok) return open(false);
      state = current;
      store.set(KEY, JSON.stringify(current));
      w.gtag('consent', 'update', signals(current.c));
      activate();
    });
  }
  // Global Privacy Control: everything non-essential denied, recorded, and no banner to click away.
  else if (!state && gpc) decide(all(false), true);
  else if (!state) open(false);
  // Proof that could not be delivered on an earlier page.
  const queued = parse<Proof[]>(store.get(QUEUE), []);
  store.set(QUEUE, '[]');
  queued.forEach(post);
  d.addEventListener('click', (e) => {
    if ((e.target as Element).closest?.('[data-inzage-consent-open]')) {
      e.preventDefault();
      open(true);
    }
  });
  // Focus that leaves the open dialog (a click on the page) is brought back.
  d.addEventListener('focusin', (e) => host?.isConnected && e.target !== host && dlg.focus());
}

w.inzageConsent = { open: () => open(true), choices: () => state?.c ?? null, id: () => state?.id ?? null };
d.readyState === 'loading' ? d.addEventListener('DOMContentLoaded', start) : start();
