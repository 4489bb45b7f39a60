import { isIP } from 'node:net';
import { InzageError } from '../lib/errors.ts';

/**
 * Whether the dev mailbox is served. It shows every verification and download link to whoever can
 * reach it, so it is open only where nobody else can: no SMTP and a server listening on this machine
 * alone, or when the operator asked for it in so many words (INZAGE_DEV_MAILBOX=1).
 */
export type DevMailboxMode =
  /** Mail goes out over SMTP (or the operator turned the mailbox off): no mailbox routes. */
  | 'off'
  /** No SMTP, listening on loopback only: the newcomer's `npm start`. */
  | 'loopback'
  /** No SMTP, INZAGE_DEV_MAILBOX=1: served on any address, and said loudly everywhere. */
  | 'explicit';

/** True for a host that only this machine can reach: `localhost`, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h) || /^0*:(0*:){6}0*1$/.test(h);
  return false;
}

/**
 * The mailbox for this configuration; throws (one line, naming INZAGE_SMTP_URL) when mail would go
 * nowhere on a server others can reach: that server must not start.
 */
export function devMailboxMode(config: {
  smtpUrl: string | undefined;
  host: string;
  /** INZAGE_DEV_MAILBOX: true (1), false (0), or not set. */
  devMailbox: boolean | undefined;
}): DevMailboxMode {
  if (config.smtpUrl) return 'off';
  if (config.devMailbox === true) return 'explicit';
  if (config.devMailbox === undefined && isLoopbackHost(config.host)) return 'loopback';
  const where =
    config.devMailbox === false ? 'INZAGE_DEV_MAILBOX=0 turns the dev mailbox off' : `Inzage listens on ${config.host}`;
  throw new InzageError(
    'CONFIG_INVALID',
    `INZAGE_SMTP_URL is not set and ${where}: set INZAGE_SMTP_URL=smtp://… so that mail is sent (or INZAGE_DEV_MAILBOX=1 to keep every message unsent in an open dev mailbox)`,
  );
}

/** What every start and every mailbox page says when mail is kept here instead of sent. */
export const MAIL_NOT_SENT =
  'Mail is NOT being sent: INZAGE_SMTP_URL is not set, so every message stays in the dev mailbox (/dev/mailbox).';
