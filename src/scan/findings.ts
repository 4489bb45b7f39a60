import type { Policy } from '../policy/policy.schema.ts';
import { cookieDeclarations, type Declared, declaredIn, hostDeclarations } from './declared.ts';
import { cookieNameMatches, hostMatches } from './patterns.ts';
import { type Finding, type FindingKind, PASSES, type PassReport, type ScanReport } from './scan.types.ts';

/**
 * What the scan saw, held against the policy. Every finding names the page and pass where it was first
 * seen; the same cookie or host is reported once per kind and pass (once in all for undeclared ones).
 *
 * The rules come from the Telecommunicatiewet art. 11.7a (ePrivacy Directive art. 5(3)): storing or
 * reading information on a visitor's device needs prior consent unless strictly necessary for the service
 * the visitor asked for; a refusal must be honoured as well as a consent (GDPR art. 7(3), 4(11)). Sending a
 * third party the visitor's request (and with it their IP address) is processing that needs a basis the
 * policy names (GDPR art. 13(1)(e): the recipients).
 */
export function compareWithPolicy(report: Omit<ScanReport, 'findings'>, policy: Policy): Finding[] {
  const declared = declaredIn(policy);
  const out = new Findings();
  for (const pass of report.passes) {
    checkCookies(pass, declared, out);
    checkHosts(pass, declared, out);
    for (const tag of pass.tags) {
      if (!tag.afterDefault) out.add('consent-mode-order', tag.what, null, tag.page, pass.name);
    }
  }
  declaredNotSeen(report.passes, declared, out);
  return out.sorted();
}

/** Whether this pass's moment calls for consent checks: before any choice, or after a refusal. */
const beforeChoice = (pass: PassReport) => pass.name === 'no-choice';
const afterRefusal = (pass: PassReport, afterChoice: boolean) => pass.name === 'reject' && afterChoice;

function checkCookies(pass: PassReport, declared: Declared, out: Findings): void {
  for (const c of pass.cookies) {
    const declarations = cookieDeclarations(declared, c.name);
    if (declarations.length === 0) out.add('undeclared-cookie', c.name, c.domain, c.page, pass.name);
    // Undeclared: nobody said it is necessary, so it needs consent like any other.
    const needsConsent = declarations.length === 0 || declarations.every((d) => d.needsConsent);
    if (!needsConsent) continue;
    if (beforeChoice(pass)) out.add('cookie-before-consent', c.name, c.domain, c.page, pass.name);
    if (afterRefusal(pass, c.afterChoice)) out.add('cookie-after-reject', c.name, c.domain, c.page, pass.name);
  }
}

function checkHosts(pass: PassReport, declared: Declared, out: Findings): void {
  for (const r of pass.requests) {
    const declarations = hostDeclarations(declared, new URL(r.url).host);
    if (declarations.length === 0) out.add('undeclared-host', r.host, r.host, r.page, pass.name);
    const allowed = declarations.some((d) => !d.needsConsent || d.advanced);
    if (allowed) continue;
    if (beforeChoice(pass)) out.add('host-before-consent', r.host, r.host, r.page, pass.name);
    if (afterRefusal(pass, r.afterChoice)) out.add('host-after-reject', r.host, r.host, r.page, pass.name);
  }
}

/** Declared but never seen in any pass: perhaps the policy can be shorter (a warning, not an error). */
function declaredNotSeen(passes: readonly PassReport[], declared: Declared, out: Findings): void {
  const cookies = passes.flatMap((p) => p.cookies.map((c) => c.name));
  const hosts = passes.flatMap((p) => p.requests.map((r) => new URL(r.url).host));
  for (const c of declared.cookies) {
    if (!cookies.some((name) => cookieNameMatches(c.pattern, name))) {
      out.add('declared-not-seen', c.pattern, null, null, null);
    }
  }
  for (const h of declared.hosts) {
    if (!hosts.some((host) => hostMatches(h.pattern, host)))
      out.add('declared-not-seen', h.pattern, h.pattern, null, null);
  }
}

/** Kinds that say something of the policy, not of a moment: reported once, whatever the pass. */
const ANY_PASS: ReadonlySet<FindingKind> = new Set(['undeclared-cookie', 'undeclared-host', 'declared-not-seen']);

/** What makes two findings the same one (in this scan, and from one day's scan to the next): not the page. */
export function findingKey(f: Pick<Finding, 'kind' | 'name' | 'host' | 'pass'>): string {
  return [f.kind, f.name, f.host ?? '', ANY_PASS.has(f.kind) ? '' : (f.pass ?? '')].join('|');
}

const KIND_ORDER: FindingKind[] = [
  'cookie-before-consent',
  'host-before-consent',
  'cookie-after-reject',
  'host-after-reject',
  'consent-mode-order',
  'undeclared-cookie',
  'undeclared-host',
  'declared-not-seen',
];

class Findings {
  readonly #byKey = new Map<string, Finding>();

  /** Adds a finding unless the same one was seen before (in this pass, or at all for some kinds). */
  add(kind: FindingKind, name: string, host: string | null, page: string | null, pass: Finding['pass']): void {
    const finding: Finding = {
      kind,
      severity: kind === 'declared-not-seen' ? 'warning' : 'error',
      name,
      host,
      page,
      pass,
    };
    const key = findingKey(finding);
    if (!this.#byKey.has(key)) this.#byKey.set(key, finding);
  }

  sorted(): Finding[] {
    const passIndex = (p: Finding['pass']) => (p ? PASSES.indexOf(p) : PASSES.length);
    return [...this.#byKey.values()].sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        passIndex(a.pass) - passIndex(b.pass) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }
}
