import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { Policy } from '../policy/policy.schema.ts';
import { compareWithPolicy } from './findings.ts';
import type { CookieSeen, PassName, PassReport, RequestSeen, ScanReport, TagFired } from './scan.types.ts';

const EXAMPLE = parse(readFileSync(new URL('../../examples/balkonzon/policy.yaml', import.meta.url), 'utf8'));
const example = () => Policy.parse(structuredClone(EXAMPLE));
const PAGE = 'https://balkonzon.nl/';

function pass(name: PassName, seen: Partial<PassReport> = {}): PassReport {
  return {
    name,
    choice: name === 'no-choice' ? 'none' : 'inzage-banner',
    cookies: [],
    storage: [],
    requests: [],
    scripts: [],
    consentMode: [],
    tags: [],
    errors: [],
    ...seen,
  };
}

const cookie = (name: string, afterChoice = false, domain = 'balkonzon.nl'): CookieSeen => ({
  name,
  domain,
  path: '/',
  expires: null,
  party: 'first',
  setBy: { kind: 'script', url: null },
  page: PAGE,
  afterChoice,
});

const request = (url: string, afterChoice = false): RequestSeen => ({
  host: new URL(url).hostname,
  type: 'script',
  url,
  count: 1,
  cookie: false,
  identifiers: [],
  page: PAGE,
  afterChoice,
});

/** What the example shop does when all is well: Google Analytics only after "Alles accepteren". */
function wellBehaved(extra: { none?: Partial<PassReport>; reject?: Partial<PassReport> } = {}) {
  const ga = [cookie('_ga', true), cookie('_ga_ABC123', true), cookie('inzage_consent', true)];
  const hosts = [
    'https://www.googletagmanager.com/gtag/js',
    'https://region1.google-analytics.com/g/collect',
    'https://region1.analytics.google.com/g/collect',
  ];
  const report: Omit<ScanReport, 'findings'> = {
    pages: [PAGE],
    startedAt: '2026-12-01T00:00:00Z',
    seconds: 1,
    passes: [
      pass('no-choice', extra.none),
      pass('reject', { cookies: [cookie('inzage_consent', true)], ...extra.reject }),
      pass('accept', { cookies: ga, requests: hosts.map((h) => request(h, true)) }),
    ],
  };
  return report;
}

const summary = (report: Omit<ScanReport, 'findings'>, policy = example()) =>
  compareWithPolicy(report, policy).map((f) => `${f.severity} ${f.kind} ${f.name} ${f.pass ?? '-'}`);

describe('a scan held against the policy', () => {
  it('finds nothing when every cookie and host is declared and waits for consent', () => {
    assert.deepEqual(summary(wellBehaved()), []);
  });

  it("counts the banner's own cookie as necessary even where a policy does not declare it", () => {
    const policy = example();
    policy.cookies.services = policy.cookies.services.filter((s) => s.id !== 'cookie-choice');
    const report = wellBehaved({ none: { cookies: [cookie('inzage_consent')] } });
    assert.deepEqual(summary(report, policy), []);
  });

  it('reports a declared analytics cookie and host before any choice, and after a refusal', () => {
    const report = wellBehaved({
      none: { cookies: [cookie('_ga')], requests: [request('https://www.googletagmanager.com/gtag/js')] },
      reject: {
        cookies: [cookie('inzage_consent', true), cookie('_ga_XYZ', true)],
        requests: [request('https://region1.google-analytics.com/g/collect', true)],
      },
    });
    assert.deepEqual(summary(report), [
      'error cookie-before-consent _ga no-choice',
      'error host-before-consent www.googletagmanager.com no-choice',
      'error cookie-after-reject _ga_XYZ reject',
      'error host-after-reject region1.google-analytics.com reject',
    ]);
  });

  it('does not count what a refusal pass saw before its click as after the refusal', () => {
    const report = wellBehaved({ reject: { cookies: [cookie('_ga', false), cookie('inzage_consent', true)] } });
    assert.deepEqual(summary(report), []);
  });

  it('lets a host of a service in Consent Mode advanced be reached before consent, but not its cookies', () => {
    const policy = example();
    policy.cookies.services.find((s) => s.id === 'google-analytics')!.consentMode = 'advanced';
    const report = wellBehaved({
      none: { cookies: [cookie('_ga')], requests: [request('https://region1.google-analytics.com/g/collect')] },
    });
    assert.deepEqual(summary(report, policy), ['error cookie-before-consent _ga no-choice']);
  });

  it("lets a processor's host that no consent-bound service names be reached on the contract", () => {
    const policy = example();
    policy.processors.find((p) => p.id === 'myonlinestore')!.hosts = ['*.myonlinestore.com'];
    const report = wellBehaved({ none: { requests: [request('https://cdn.myonlinestore.com/app.js')] } });
    assert.deepEqual(summary(report, policy), []);
  });

  it('reports what the policy does not name once, at the first page and pass it was seen', () => {
    const report = wellBehaved({
      reject: { cookies: [cookie('inzage_consent', true), cookie('_fbp', true)] },
    });
    report.passes[2]!.cookies.push(cookie('_fbp', true));
    report.passes[2]!.requests.push(request('https://connect.facebook.net/en_US/fbevents.js', true));
    assert.deepEqual(summary(report), [
      'error cookie-after-reject _fbp reject',
      'error undeclared-cookie _fbp reject',
      'error undeclared-host connect.facebook.net accept',
    ]);
  });

  it('reports a Google tag that fired before the Consent Mode default, per pass', () => {
    const early: TagFired = { page: PAGE, what: 'config G-EARLY', afterDefault: false, afterChoice: false };
    const report = wellBehaved({ none: { tags: [early, { ...early, what: 'event page_view', afterDefault: true }] } });
    assert.deepEqual(summary(report), ['error consent-mode-order config G-EARLY no-choice']);
  });

  it('warns about declared cookies and hosts that were never seen', () => {
    const report = wellBehaved();
    report.passes[2] = pass('accept', { cookies: [cookie('_ga', true)] });
    assert.deepEqual(summary(report), [
      'warning declared-not-seen *.analytics.google.com -',
      'warning declared-not-seen *.google-analytics.com -',
      'warning declared-not-seen _ga_<container-id> -',
      'warning declared-not-seen www.googletagmanager.com -',
    ]);
  });
});
