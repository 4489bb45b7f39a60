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
  /** Behind a proxy the server is reached from elsewhere, whatever it listens on. */
  trustProxy?: boolean;
  /** The public address: one that is not this machine's says others reach it (through a proxy). */
  baseUrl?: string;
}): DevMailboxMode {
  if (config.smtpUrl) return 'off';
  if (config.devMailbox === true) return 'explicit';
  const reachedFromElsewhere =
    config.trustProxy === true || (config.baseUrl !== undefined && !isLoopbackHost(hostOf(config.baseUrl)));
  if (config.devMailbox === undefined && isLoopbackHost(config.host) && !reachedFromElsewhere) return 'loopback';
  const where =
    config.devMailbox === false
      ? 'INZAGE_DEV_MAILBOX=0 turns the dev mailbox off'
      : reachedFromElsewhere
        ? `Inzage is reached from elsewhere (${config.trustProxy ? 'INZAGE_TRUST_PROXY=true' : `INZAGE_BASE_URL ${config.baseUrl}`})`
        : `Inzage listens on ${config.host}`;
  throw new InzageError(
    'CONFIG_INVALID',
    `INZAGE_SMTP_URL is not set and ${where}: set INZAGE_SMTP_URL=smtp://… so that mail is sent (or INZAGE_DEV_MAILBOX=1 to keep every message unsent in an open dev mailbox)`,
  );
}

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
};

/**
 * A worker on its own sends the mail: without SMTP its messages go to the dev mailbox only, which a web
 * server on this machine shows. That holds with a SQLite hub (one machine); with a shared PostgreSQL hub the
 * worker may run anywhere, so it needs INZAGE_SMTP_URL, or INZAGE_DEV_MAILBOX=1 to say mail stays here.
 */
export function assertWorkerCanMail(config: {
  smtpUrl: string | undefined;
  devMailbox: boolean | undefined;
  database: { dialect: string };
}): void {
  if (config.smtpUrl || config.devMailbox === true || config.database.dialect === 'sqlite') return;
  throw new InzageError(
    'CONFIG_INVALID',
    'INZAGE_SMTP_URL is not set for this worker on a shared PostgreSQL hub: set INZAGE_SMTP_URL=smtp://… so that mail is sent (or INZAGE_DEV_MAILBOX=1 to keep every message unsent in the dev mailbox)',
  );
}

/** What every start and every mailbox page says when mail is kept here instead of sent. */
export const MAIL_NOT_SENT =
  'Mail is NOT being sent: INZAGE_SMTP_URL is not set, so every message stays in the dev mailbox (/dev/mailbox).';
