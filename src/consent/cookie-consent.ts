import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { oneLine } from '../lib/text-input.ts';

/**
 * Proof of a cookie choice: what the banner posts, and what is kept of the request that carried it.
 * No cookie, no full address, no full user agent: enough to show the choice was made, by a browser
 * of that kind, from that network, at that time, under that policy and banner.
 */

const categoryId = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a category id' });

/** More choices than any banner shows: a policy names a handful of cookie categories. */
export const MAX_CHOICES = 20;
/** The largest proof body taken, in bytes: a real one is a few hundred. */
export const CONSENT_BODY_LIMIT = 4096;

export const CookieConsentInput = z
  .strictObject({
    consentId: z
      .uuid({ error: 'must be a UUID' })
      .meta({ description: "The visitor's random consent id, kept by the banner" }),
    choices: z
      .record(categoryId, z.boolean())
      .refine((choices) => Object.keys(choices).length <= MAX_CHOICES, {
        error: `at most ${MAX_CHOICES} categories`,
      })
      .meta({
        description: `Category id → consent given, for the categories of the policy version named (at most ${MAX_CHOICES}); required categories are true`,
      }),
    policyVersion: oneLine()
      .min(1)
      .max(100)
      .meta({ description: 'The policy version the banner showed: the one in force or a published one' }),
    gpc: z.boolean().default(false).meta({ description: 'The choice followed Global Privacy Control' }),
    bannerVersion: oneLine()
      .max(64)
      .optional()
      .meta({ description: "The banner's version (hash of script and config)" }),
  })
  .meta({ id: 'CookieConsent' });
export type CookieConsentInput = z.output<typeof CookieConsentInput>;

export interface CookieConsentRecord {
  id: string;
  consentId: string;
  choices: Record<string, boolean>;
  policyVersion: string;
  bannerVersion: string | null;
  gpc: boolean;
  ipTruncated: string | null;
  userAgentFamily: string | null;
  createdAt: string;
}

/** IPv4 with the last octet zeroed, IPv6 cut to its /48 (an IPv4-mapped address counts as IPv4). */
export function truncateIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return truncateIp(mapped);
  if (isIPv4(ip)) return ip.replace(/\.\d+$/, '.0');
  if (!isIPv6(ip)) return null;
  const [head = '', tail = ''] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  const kept = groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, ''));
  while (kept.at(-1) === '0') kept.pop();
  return `${kept.join(':')}::`;
}

/** The browser family only: the rest of a user agent string narrows a visitor down. */
export function userAgentFamily(ua: string | undefined): string | null {
  if (!ua) return null;
  if (/bot|crawler|spider|headless/i.test(ua)) return 'bot';
  if (/Edg\//.test(ua)) return 'edge';
  if (/OPR\/|Opera/.test(ua)) return 'opera';
  if (/Firefox\//.test(ua)) return 'firefox';
  if (/Chrome\/|Chromium\/|CriOS\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  return 'other';
}

/**
 * The shop origins allowed to post proof, from INZAGE_SHOP_ORIGINS (comma-separated); the hub's own
 * origin always. Throws naming every entry that is not an http(s) origin.
 */
export function parseShopOrigins(value: string | undefined, hubUrl: string): Set<string> {
  const origins = new Set([new URL(hubUrl).origin]);
  const bad: string[] = [];
  for (const entry of (value ?? '').split(',').map((s) => s.trim())) {
    if (!entry) continue;
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '')) bad.push(entry);
    else origins.add(url.origin);
  }
  if (bad.length) {
    throw new Error(`INZAGE_SHOP_ORIGINS: not an origin like https://shop.example: ${bad.join(', ')}`);
  }
  return origins;
}

/** One group of visitors with the same latest choice, as the repository counts them. */
export interface ChoiceGroup {
  policyVersion: string;
  choices: Record<string, boolean>;
  gpc: boolean;
  visitors: number;
}

export interface ConsentRates {
  policyVersion: string;
  visitors: number;
  byGpc: number;
  categories: { id: string; granted: number; rate: number }[];
}

/** Consent rates per policy version and category, from each visitor's latest choice. */
export function consentRates(groups: ChoiceGroup[]): ConsentRates[] {
  const byVersion = new Map<string, { visitors: number; byGpc: number; granted: Map<string, number> }>();
  for (const g of groups) {
    const v = byVersion.get(g.policyVersion) ?? { visitors: 0, byGpc: 0, granted: new Map<string, number>() };
    byVersion.set(g.policyVersion, v);
    v.visitors += g.visitors;
    if (g.gpc) v.byGpc += g.visitors;
    for (const [id, on] of Object.entries(g.choices))
      v.granted.set(id, (v.granted.get(id) ?? 0) + (on ? g.visitors : 0));
  }
  return [...byVersion].map(([policyVersion, v]) => ({
    policyVersion,
    visitors: v.visitors,
    byGpc: v.byGpc,
    categories: [...v.granted].map(([id, granted]) => ({ id, granted, rate: v.visitors ? granted / v.visitors : 0 })),
  }));
}
