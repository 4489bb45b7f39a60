import type { Branding } from '../../lib/branding.ts';
import type { Lang } from '../../policy/labels.ts';

export type { Lang };

/** What every message may say about the shop; taken from the policy in force. */
export interface MailContext {
  shopName: string;
  privacyEmail: string;
  /** The hub's public address, e.g. https://privacy.example.nl (no trailing slash needed). */
  baseUrl: string;
  /** Where a person can complain; the Dutch Autoriteit Persoonsgegevens when not given. */
  complaintAuthority?: { name: string; website?: string };
  /** The shop's look for the HTML version: logo, name and colour (Inzage's own without). */
  branding?: Branding;
}

/** A piece of a sentence: words, or a link with an optional label (the URL itself when none). */
export type Inline = string | { href: string; label?: string };

/**
 * One block of a message. Templates describe a message once in these blocks; the HTML and the
 * plain-text renderer turn the same blocks into both versions, so the two can never disagree.
 */
export type Block =
  | { kind: 'p'; parts: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'button'; label: string; href: string }
  | { kind: 'quote'; text: string };

export interface MailContent {
  subject: string;
  /** The first line of the body; the subject when left out. */
  heading?: string;
  blocks: Block[];
  /** For the privacy officer: no "regards" from the shop to itself. */
  internal?: boolean;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** Every absolute URL in the message, in order of appearance, each once. */
  links: string[];
}

export const p = (...parts: Inline[]): Block => ({ kind: 'p', parts });
export const list = (items: Inline[][]): Block => ({ kind: 'list', items });
export const button = (label: string, href: string): Block => ({ kind: 'button', label, href });
export const quote = (text: string): Block => ({ kind: 'quote', text });
export const link = (href: string, label?: string): Inline => ({ href, label });
