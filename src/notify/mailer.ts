import type nodemailerTypes from 'nodemailer';
import { lazily } from '../lib/lazy-require.ts';

// The dev mailbox sends nothing: the SMTP library is loaded only for a real SMTP server.
const nodemailer = lazily<typeof nodemailerTypes>('nodemailer');

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail: over SMTP, or nowhere at all in dev mode, where the outbox is the mailbox. */
export interface Mailer {
  readonly kind: 'smtp' | 'dev';
  send(msg: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * An SMTP mailer for `smtp://` or `smtps://user:pass@host:port` (INZAGE_SMTP_URL), or the dev
 * mailer when no URL is given: it sends nothing, and the message stays visible at /dev/mailbox.
 */
export function createMailer(smtpUrl?: string): Mailer {
  if (!smtpUrl) return { kind: 'dev', send: async () => {}, close: async () => {} };
  if (!/^smtps?:\/\//i.test(smtpUrl)) throw new Error('the SMTP URL must start with smtp:// or smtps://');
  const transport = nodemailer().createTransport({
    url: smtpUrl,
    // A server that does not answer must fail the attempt, so that the job retries later.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    send: async (msg) => {
      await transport.sendMail({
        ...msg,
        // RFC 3834: an automatic message; out-of-office replies should not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: async () => transport.close(),
  };
}
