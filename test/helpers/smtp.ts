import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the SMTP server took it: its recipients, the raw text, and when it arrived. */
export interface ReceivedMail {
  rcptTo: string[];
  raw: string;
  /** `performance.now()` when the message was complete: for latencies measured in this process. */
  at: number;
}

export interface TestSmtpServer {
  port: number;
  /** Everything accepted so far, in the order it arrived. */
  received: ReceivedMail[];
  /** `refuse: true` makes the server answer 450 to RCPT (a mailbox busy, try later). */
  state: { refuse: boolean };
  /** Resolves with the first message (received already or later) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * An SMTP server in this process on a free loopback port, without TLS or authentication, that keeps
 * what it receives: for tests and benches that point INZAGE_SMTP_URL (or a mailer) at it.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const state = { refuse: false };
  const waiters = new Set<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Many workers' connections at once (a bench); the default of 100 would refuse some.
    maxClients: 1000,
    onRcptTo(_address, _session, callback) {
      if (!state.refuse) return callback();
      return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 450 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
          at: performance.now(),
        };
        received.push(mail);
        for (const w of waiters)
          if (w.match(mail)) {
            waiters.delete(w);
            w.resolve(mail);
          }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    state,
    waitFor: (match, timeoutMs = 10_000) => {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The subject line of a raw message (as the mailer wrote it: plain ASCII, or as it came). */
export const subjectOf = (raw: string): string => /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';

/** Undoes quoted-printable soft breaks and escapes, enough to search a body for a sentence or a link. */
export function decodeBody(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => `%${hex}`);
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
  } catch {
    return bytes;
  }
}
