import type { Policy } from '../policy/policy.schema.ts';
import { cookieNameMatches, hostMatches } from './patterns.ts';

/**
 * What the policy declares for the browser: cookies (by name or pattern) and third-party hosts, each
 * with whether it may be there before a choice. A cookie or host may be there without consent when its
 * cookie category is required (strictly necessary) or its service asks no consent; a host of a service
 * in Consent Mode `advanced` may be reached before consent too (the tag loads with every signal denied,
 * and sends cookieless pings), though its cookies may not be set.
 */
export interface DeclaredCookie {
  pattern: string;
  service: string;
  needsConsent: boolean;
}

export interface DeclaredHost {
  pattern: string;
  /** The processor or cookie service that declares it. */
  party: string;
  needsConsent: boolean;
  /** Reached before consent in Consent Mode `advanced`: allowed, with signals denied. */
  advanced: boolean;
}

/** Inzage's banner keeps the visitor's choice in this cookie: strictly necessary, declared or not. */
export const CONSENT_COOKIE = 'inzage_consent';

export interface Declared {
  cookies: DeclaredCookie[];
  hosts: DeclaredHost[];
}

export function declaredIn(policy: Policy): Declared {
  const required = new Set(policy.cookies.categories.filter((c) => c.required).map((c) => c.id));
  const services = policy.cookies.services.map((s) => ({
    service: s,
    needsConsent: s.consentRequired && !required.has(s.category),
    advanced: s.consentMode === 'advanced',
  }));
  const cookies = services.flatMap(({ service, needsConsent }) =>
    service.cookies.map((c) => ({ pattern: c.name, service: service.name, needsConsent })),
  );
  const hosts: DeclaredHost[] = services.flatMap(({ service, needsConsent, advanced }) =>
    service.hosts.map((pattern) => ({ pattern, party: service.name, needsConsent, advanced })),
  );
  for (const p of policy.processors) {
    // A processor's hosts need consent when a cookie service of that processor does (Google Analytics);
    // a processor the shop needs to work (hosting, payment) is reached on the contract.
    const linked = services.filter((s) => s.service.processor === p.id && s.needsConsent);
    const needsConsent = linked.length > 0;
    const advanced = needsConsent && linked.every((s) => s.advanced);
    for (const pattern of p.hosts) hosts.push({ pattern, party: p.name, needsConsent, advanced });
  }
  return { cookies, hosts };
}

/** The declarations that cover a cookie's name; the banner's own cookie counts as declared necessary. */
export function cookieDeclarations(declared: Declared, name: string): DeclaredCookie[] {
  const found = declared.cookies.filter((c) => cookieNameMatches(c.pattern, name));
  if (name === CONSENT_COOKIE && found.length === 0) {
    return [{ pattern: CONSENT_COOKIE, service: 'Inzage', needsConsent: false }];
  }
  return found;
}

export function hostDeclarations(declared: Declared, host: string): DeclaredHost[] {
  return declared.hosts.filter((h) => hostMatches(h.pattern, host));
}
