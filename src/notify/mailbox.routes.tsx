import type { FastifyInstance } from 'fastify';
import { renderToStaticMarkup } from 'preact-render-to-string';
import { z } from 'zod';
import type { ApiRegistry } from '../http/api/api-route.ts';
import { notFound } from '../lib/errors.ts';
import { hasControlCharacters } from '../lib/text-input.ts';
import { type DevMailboxMode, MAIL_NOT_SENT } from './dev-mailbox.ts';
import type { DevMessage, MailOutbox } from './outbox.ts';

export const DevMailboxMessage = z
  .object({
    id: z.string(),
    to: z.string().meta({ description: 'The recipient; empty once a message went out over SMTP' }),
    subject: z.string(),
    text: z.string().meta({ description: 'The plain-text version' }),
    html: z.string().meta({ description: 'The HTML version' }),
    links: z.array(z.string()).meta({ description: 'Every absolute URL in the message, in order' }),
    template: z.string(),
    requestId: z.string().nullable(),
    status: z.enum(['queued', 'sent', 'failed']),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: 'DevMailboxMessage' });

const MailboxQuery = z.object({
  to: z.string().optional().meta({ description: 'Only messages to this address (case-insensitive)' }),
});

export interface DevMailboxDeps {
  outbox: MailOutbox;
  /** `off` (SMTP configured, or not safe to open): the routes do not exist. */
  mode: DevMailboxMode;
}

const byRecipient = (messages: DevMessage[], to: string | undefined) =>
  to ? messages.filter((m) => m.to.toLowerCase() === to.trim().toLowerCase()) : messages;

/** The dev mailbox: every message Inzage would have sent, as JSON and as a page. Dev mode only. */
export function registerDevMailboxRoutes(app: FastifyInstance, api: ApiRegistry, deps: DevMailboxDeps): void {
  if (deps.mode === 'off') return;
  const { outbox, mode } = deps;

  api.add(
    app,
    {
      method: 'GET',
      url: '/api/v1/dev/mailbox',
      summary: 'Messages in the dev mailbox',
      description:
        'Only when no SMTP server is configured (INZAGE_SMTP_URL unset) and the server listens on loopback only, or INZAGE_DEV_MAILBOX=1. Newest first. Nothing here was sent: the header `x-inzage-mail: not-sent` says so.',
      tags: ['dev'],
      query: MailboxQuery,
      responses: { 200: { description: 'The messages, newest first', schema: z.array(DevMailboxMessage) } },
    },
    async ({ query, reply }) => {
      reply.header('cache-control', 'no-store').header('x-inzage-mail', 'not-sent');
      return byRecipient(await outbox.messages(), query.to);
    },
  );

  app.get('/dev/mailbox', async (request, reply) => {
    const { to } = MailboxQuery.catch({}).parse(request.query);
    const messages = byRecipient(await outbox.messages(), to);
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page('Dev mailbox', mode, <MailboxList messages={messages} />));
  });

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id', async (request, reply) => {
    const { id } = request.params;
    // An id with NUL in it would break PostgreSQL's query; it names no message either way.
    const message = hasControlCharacters(id) ? undefined : await outbox.message(id);
    if (!message) throw notFound('There is no message with this id in the dev mailbox.');
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page(message.subject || message.id, mode, <MessageView message={message} />));
  });
}

const CSS = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1f2937;background:#f9fafb}
main{max-width:860px;margin:0 auto;padding:16px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin:0 0 4px}
article{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:16px;margin:0 0 16px}
.meta{color:#6b7280;font-size:.9rem;margin:0 0 8px}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f4f6;padding:12px;border-radius:6px;font-size:.9rem}
a{color:#1d4ed8;word-break:break-all}
iframe{width:100%;height:640px;border:1px solid #e5e7eb;border-radius:6px;background:#fff}
.not-sent{background:#991b1b;color:#fff;margin:0;padding:12px 16px;font-weight:600}
.not-sent p{margin:0;max-width:860px;margin:0 auto}
`;

function page(title: string, mode: DevMailboxMode, body: preact.VNode): string {
  const html = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <style>{CSS}</style>
      </head>
      <body>
        <NotSent mode={mode} />
        <main>{body}</main>
      </body>
    </html>
  );
  return `<!doctype html>${renderToStaticMarkup(html)}`;
}

/** On every page, above everything: nothing here reached anyone. */
function NotSent({ mode }: { mode: DevMailboxMode }) {
  return (
    <div class="not-sent" role="alert">
      <p>{MAIL_NOT_SENT}</p>
      {mode === 'explicit' && (
        <p>
          INZAGE_DEV_MAILBOX=1: this mailbox is open to everyone who can reach this server, with every verification and
          download link in it. Set INZAGE_SMTP_URL before anyone real uses it.
        </p>
      )}
    </div>
  );
}

function Meta({ message }: { message: DevMessage }) {
  return (
    <p class="meta">
      To <strong>{message.to || '(removed after sending)'}</strong> ·{' '}
      <time dateTime={message.createdAt}>{message.createdAt}</time> · {message.template} · {message.status}
    </p>
  );
}

function Links({ links }: { links: string[] }) {
  if (links.length === 0) return null;
  return (
    <ul class="links">
      {links.map((href) => (
        <li>
          <a href={href}>{href}</a>
        </li>
      ))}
    </ul>
  );
}

function MailboxList({ messages }: { messages: DevMessage[] }) {
  return (
    <>
      <h1>Dev mailbox</h1>
      <p>
        No SMTP server is configured (<code>INZAGE_SMTP_URL</code>), so Inzage keeps every message here instead of
        sending it. Newest first; the same as JSON at <a href="/api/v1/dev/mailbox">/api/v1/dev/mailbox</a>.
      </p>
      {messages.length === 0 && <p>No messages yet.</p>}
      {messages.map((m) => (
        <article id={`m-${m.id}`}>
          <h2>
            <a href={`/dev/mailbox/${encodeURIComponent(m.id)}`}>{m.subject || m.id}</a>
          </h2>
          <Meta message={m} />
          <pre>{m.text}</pre>
          <Links links={m.links} />
        </article>
      ))}
    </>
  );
}

function MessageView({ message }: { message: DevMessage }) {
  return (
    <>
      <p>
        <a href="/dev/mailbox">← All messages</a>
      </p>
      <h1>{message.subject || message.id}</h1>
      <Meta message={message} />
      <h2>Links</h2>
      <Links links={message.links} />
      <h2>Text</h2>
      <pre>{message.text}</pre>
      {message.html && (
        <>
          <h2>HTML</h2>
          {/* An escaped attribute in a frame without any permission: no script, no form, no navigation. */}
          <iframe sandbox="" srcdoc={message.html} title="HTML version" referrerpolicy="no-referrer" />
        </>
      )}
    </>
  );
}
