import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../notify/templates/words.ts';
import { objectablePurposes } from '../../policy/objections.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { IntakeService } from '../../requests/intake.service.ts';
import { RequestType } from '../../requests/request.types.ts';
import type { RequestExports } from '../../requests/request-exports.ts';
import type { RequestStatusPages } from '../../requests/status-page.ts';
import { INTAKE_RATE_LIMIT } from '../api/requests.routes.ts';
import { type Lang, negotiateLang } from '../lang.ts';
import { LINK_TOKEN, type PortalView, sendPortalPage } from './layout.tsx';
import { RequestHome, type Submitted } from './request-forms.tsx';
import { parseRequestForm, readForm } from './request-input.ts';
import {
  AwaitingIdentityPage,
  ConfirmedPage,
  DownloadExpiredPage,
  DownloadReadyPage,
  LinkExpiredPage,
  LinkUsedPage,
  noticeTitle,
  SentPage,
  UnknownLinkPage,
  VerifyReadyPage,
} from './request-pages.tsx';
import { requestTexts } from './request-texts.ts';
import { RequestStatusPage, StatusGonePage, statusWords } from './status-page.tsx';

export interface RequestPortalDeps {
  intake: IntakeService;
  exports: RequestExports;
  policy: () => Policy;
  /** The status pages of requests that take days; without it, every status link is unknown. */
  statusPages?: RequestStatusPages;
}

type LinkState = 'expired' | 'used' | 'unknown';
const LINK_STATUS: Record<LinkState, number> = { expired: 410, used: 409, unknown: 404 };

const queryLang = (request: FastifyRequest) => (request.query as { lang?: string } | undefined)?.lang;

/**
 * The person's side of a request: the home page with one form per right, the answer after the form,
 * the verification link (GET shows, POST confirms) and the download link (GET shows, POST downloads). Every page is `no-store`:
 * their addresses carry tokens.
 */
export function registerRequestPortalRoutes(app: FastifyInstance, deps: RequestPortalDeps): void {
  const send = (reply: FastifyReply, view: PortalView) => sendPortalPage(reply, deps.policy().controller.name, view);

  const home = (reply: FastifyReply, lang: Lang, submitted?: Submitted, right?: RequestType) => {
    const t = requestTexts[lang];
    const shown = submitted ? submitted.type : right;
    const title = shown ? `${t.rights[shown].name} · ${t.home.title}` : t.home.title;
    return send(reply, {
      lang,
      status: submitted ? 400 : 200,
      title: submitted ? `${t.errors.titlePrefix} ${title}` : title,
      path: shown ? `/?right=${shown}` : '/',
      body: <RequestHome lang={lang} policy={deps.policy()} submitted={submitted} right={right} />,
    });
  };

  const linkPage = (reply: FastifyReply, lang: Lang, state: LinkState, path: string, type?: RequestType) =>
    send(reply, {
      lang,
      status: LINK_STATUS[state],
      title: noticeTitle(lang, state),
      path,
      body:
        state === 'expired' ? (
          <LinkExpiredPage lang={lang} type={type} />
        ) : state === 'used' ? (
          <LinkUsedPage lang={lang} />
        ) : (
          <UnknownLinkPage lang={lang} />
        ),
    });

  // First the choice of right; `?right=<type>` shows that right's form alone (an unknown one: the choice).
  app.get('/', async (request, reply) => {
    const right = RequestType.safeParse((request.query as { right?: string } | undefined)?.right);
    const lang = negotiateLang(queryLang(request), request.headers['accept-language']);
    return home(reply, lang, undefined, right.success ? right.data : undefined);
  });

  // The same per-client limit as the API, counted together with it.
  app.post('/requests', { config: { rateLimit: INTAKE_RATE_LIMIT } }, async (request, reply) => {
    const values = readForm(request.body);
    const lang = negotiateLang(queryLang(request) ?? values.language, request.headers['accept-language']);
    const objectable = objectablePurposes(deps.policy()).map((p) => p.id);
    const parsed = parseRequestForm(values, lang, objectable);
    if (!parsed.ok) return home(reply, lang, { type: parsed.type, values, errors: parsed.errors });
    // Whatever is open for the address, the answer is the same page.
    await deps.intake.submit(parsed.request);
    // Post/redirect/get: a reload does not post again. The address stays out of the URL.
    return reply
      .header('cache-control', 'no-store')
      .redirect(`/requests/sent?type=${parsed.request.type}&lang=${lang}`, 303);
  });

  app.get('/requests/sent', async (request, reply) => {
    const lang = negotiateLang(queryLang(request), request.headers['accept-language']);
    const type = RequestType.safeParse((request.query as { type?: string }).type);
    const body = <SentPage lang={lang} type={type.success ? type.data : undefined} />;
    return send(reply, { lang, status: 200, title: noticeTitle(lang, 'sent'), path: '/requests/sent', body });
  });

  // Opening the link only shows it: mail scanners open every link they see.
  app.get<{ Params: { token: string } }>('/requests/verify/:token', async (request, reply) => {
    const { token } = request.params;
    const seen = LINK_TOKEN.test(token) ? await deps.intake.describeVerification(token) : { state: 'unknown' as const };
    const lang = negotiateLang(queryLang(request) ?? seen.request?.language, request.headers['accept-language']);
    const path = `/requests/verify/${token}`;
    if (seen.state !== 'ready')
      return linkPage(reply, lang, seen.state, LINK_TOKEN.test(token) ? path : '/', seen.request?.type);
    const body = (
      <VerifyReadyPage
        lang={lang}
        type={seen.request.type}
        elsewhere={!!seen.request.details.deliverTo}
        action={`${path}?lang=${lang}`}
      />
    );
    return send(reply, { lang, status: 200, title: noticeTitle(lang, 'ready'), path, body });
  });

  app.post<{ Params: { token: string } }>('/requests/verify/:token', async (request, reply) => {
    const { token } = request.params;
    const result = LINK_TOKEN.test(token)
      ? await deps.intake.confirm(token)
      : { state: 'unknown' as const, request: undefined };
    const status =
      result.state === 'verified' || result.state === 'awaiting_identity' ? 200 : LINK_STATUS[result.state];
    if (wantsJson(request)) {
      return reply
        .status(status)
        .header('cache-control', 'no-store')
        .send({ state: result.state, status: result.request?.status ?? null });
    }
    const lang = negotiateLang(queryLang(request) ?? result.request?.language, request.headers['accept-language']);
    const path = LINK_TOKEN.test(token) ? `/requests/verify/${token}` : '/';
    if (result.state === 'verified') {
      const body = <ConfirmedPage lang={lang} days={deps.policy().rights.answerWithinDays} />;
      return send(reply, { lang, status, title: noticeTitle(lang, 'confirmed'), path, body });
    }
    if (result.state === 'awaiting_identity') {
      const body = <AwaitingIdentityPage lang={lang} />;
      return send(reply, { lang, status, title: noticeTitle(lang, 'identity'), path, body });
    }
    return linkPage(reply, lang, result.state, path, result.request?.type);
  });

  // A request's status: GET only, and it changes nothing. Any link that does not work gets the same 404
  // page, so that nobody learns from it whether some other request exists.
  app.get<{ Params: { token: string } }>('/requests/status/:token', async (request, reply) => {
    const { token } = request.params;
    const view = LINK_TOKEN.test(token) ? await deps.statusPages?.describe(token) : undefined;
    const lang = negotiateLang(queryLang(request), request.headers['accept-language']);
    if (!view) {
      const body = <StatusGonePage lang={lang} />;
      return send(reply, { lang, status: 404, title: statusWords(lang).goneTitle, path: '/', body });
    }
    const path = `/requests/status/${token}`;
    if (wantsJson(request)) {
      return reply
        .header('cache-control', 'no-store')
        .send({ reference: view.reference, type: view.type, status: view.status, timeline: view.timeline });
    }
    const body = <RequestStatusPage lang={lang} view={view} />;
    return send(reply, { lang, status: 200, title: statusWords(lang).title, path, body });
  });

  // Scanner-safe like the verification link: GET (and HEAD) only show the page; its one button POSTs,
  // and only that counts as a download. The e-mail's link stays the same address.
  app.get<{ Params: { token: string } }>('/requests/download/:token', async (request, reply) => {
    const { token } = request.params;
    const seen = LINK_TOKEN.test(token) ? await deps.exports.describe(token) : { state: 'unknown' as const };
    const language = 'request' in seen ? seen.request?.language : undefined;
    const lang = negotiateLang(queryLang(request) ?? language, request.headers['accept-language']);
    if (seen.state !== 'ready') return downloadGone(reply, lang, seen.state);
    const path = `/requests/download/${token}`;
    const until = formatDateTime(seen.expiresAt, lang);
    const body = (
      <DownloadReadyPage lang={lang} until={until} left={seen.downloadsLeft} action={`${path}?lang=${lang}`} />
    );
    return send(reply, { lang, status: 200, title: noticeTitle(lang, 'download'), path, body });
  });

  app.post<{ Params: { token: string } }>('/requests/download/:token', async (request, reply) => {
    const { token } = request.params;
    const result = LINK_TOKEN.test(token) ? await deps.exports.download(token) : { error: 'unknown' as const };
    const lang = negotiateLang(queryLang(request), request.headers['accept-language']);
    if ('zip' in result) {
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${safeFileName(result.fileName)}"`)
        .header('cache-control', 'no-store')
        .send(result.zip);
    }
    return downloadGone(reply, lang, result.error);
  });

  const downloadGone = (reply: FastifyReply, lang: Lang, state: 'expired' | 'unknown') => {
    if (state === 'unknown') return linkPage(reply, lang, 'unknown', '/');
    const body = <DownloadExpiredPage lang={lang} />;
    return send(reply, { lang, status: 410, title: noticeTitle(lang, 'downloadExpired'), path: '/', body });
  };
}

/** JSON when the client asks for it and not for HTML (a browser's Accept always names text/html). */
const wantsJson = (request: FastifyRequest) => {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
};

/** A file name that cannot break out of the header's quotes. */
const safeFileName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_') || 'export.zip';
