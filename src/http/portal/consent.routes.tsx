import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contactPurposes, purposeName } from '../../consent/contact-consent.purposes.ts';
import {
  type ConsentWithdrawalService,
  withdrawalStatement,
} from '../../consent/contact-consent-withdrawal.service.ts';
import { emailAddress } from '../../lib/email-address.ts';
import { InzageError } from '../../lib/errors.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { INTAKE_RATE_LIMIT } from '../api/requests.routes.ts';
import { type Lang, negotiateLang } from '../lang.ts';
import {
  type PurposeChoice,
  WithdrawExpiredPage,
  WithdrawForm,
  WithdrawnPage,
  WithdrawRateLimitedPage,
  WithdrawReadyPage,
  WithdrawSentPage,
  type WithdrawSubmitted,
  WithdrawUnknownPage,
} from './consent-pages.tsx';
import { consentTexts } from './consent-texts.tsx';
import { LINK_TOKEN, type PortalView, sendPortalPage } from './layout.tsx';

export interface ConsentPortalDeps {
  withdrawals: ConsentWithdrawalService;
  policy: () => Policy;
}

const FORM_PATH = '/consent/withdraw';
const Email = z.string().max(254).pipe(emailAddress());

const queryLang = (request: FastifyRequest) => (request.query as { lang?: string } | undefined)?.lang;
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s.trim() !== '');

/** Reads the posted form: the address and the purposes ticked (only those the policy offers). */
function parseWithdrawForm(
  body: unknown,
  offered: string[],
): { ok: true; email: string; purposes: string[] } | { ok: false; submitted: WithdrawSubmitted } {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const email = (strings(raw.email)[0] ?? '').trim();
  const purposes = strings(raw.purpose).filter((p) => offered.includes(p));
  const errors: WithdrawSubmitted['errors'] = {};
  if (!email) errors.email = 'emailRequired';
  else if (email.length > 254) errors.email = 'tooLong';
  else if (!Email.safeParse(email).success) errors.email = 'emailInvalid';
  if (purposes.length === 0) errors.purposes = 'purposesRequired';
  return Object.keys(errors).length > 0
    ? { ok: false, submitted: { email, purposes, errors } }
    : { ok: true, email, purposes };
}

/**
 * Withdrawing contact consent on the portal: the form, the answer after it, and the link from the
 * e-mail (GET shows, POST withdraws). Every page is `no-store`: the link's address carries a token.
 */
export function registerConsentPortalRoutes(app: FastifyInstance, deps: ConsentPortalDeps): void {
  const send = (reply: FastifyReply, view: PortalView) => sendPortalPage(reply, deps.policy().controller.name, view);

  const choices = (lang: Lang): PurposeChoice[] =>
    contactPurposes(deps.policy()).map((p) => ({ id: p.id, name: p.name[lang], note: p.description?.[lang] }));

  const form = (reply: FastifyReply, lang: Lang, submitted?: WithdrawSubmitted) => {
    const t = consentTexts[lang].form;
    const body = (
      <WithdrawForm lang={lang} shop={deps.policy().controller.name} purposes={choices(lang)} submitted={submitted} />
    );
    const title = submitted ? `${t.titlePrefix} ${t.title}` : t.title;
    return send(reply, { lang, status: submitted ? 400 : 200, title, path: FORM_PATH, body });
  };

  const linkPage = (reply: FastifyReply, lang: Lang, state: 'expired' | 'unknown', token: string) => {
    const path = LINK_TOKEN.test(token) ? `${FORM_PATH}/${token}` : FORM_PATH;
    return state === 'expired'
      ? send(reply, {
          lang,
          status: 410,
          title: consentTexts[lang].expired.title,
          path,
          body: <WithdrawExpiredPage lang={lang} />,
        })
      : send(reply, {
          lang,
          status: 404,
          title: consentTexts[lang].unknown.title,
          path,
          body: <WithdrawUnknownPage lang={lang} />,
        });
  };

  app.get(FORM_PATH, async (request, reply) =>
    form(reply, negotiateLang(queryLang(request), request.headers['accept-language'])),
  );

  app.post(FORM_PATH, { config: { rateLimit: INTAKE_RATE_LIMIT } }, async (request, reply) => {
    const posted = (request.body ?? {}) as Record<string, unknown>;
    const lang = negotiateLang(queryLang(request) ?? strings(posted.language)[0], request.headers['accept-language']);
    const parsed = parseWithdrawForm(
      posted,
      choices(lang).map((c) => c.id),
    );
    if (!parsed.ok) return form(reply, lang, parsed.submitted);
    try {
      await deps.withdrawals.request({ email: parsed.email, purposes: parsed.purposes, lang });
    } catch (err) {
      if (!(err instanceof InzageError && err.code === 'RATE_LIMITED')) throw err;
      reply.header('retry-after', '3600');
      const title = consentTexts[lang].rateLimited.title;
      return send(reply, { lang, status: 429, title, path: FORM_PATH, body: <WithdrawRateLimitedPage lang={lang} /> });
    }
    // Post/redirect/get: a reload does not post again; the address stays out of the URL.
    return reply.header('cache-control', 'no-store').redirect(`${FORM_PATH}/sent?lang=${lang}`, 303);
  });

  app.get(`${FORM_PATH}/sent`, async (request, reply) => {
    const lang = negotiateLang(queryLang(request), request.headers['accept-language']);
    const body = <WithdrawSentPage lang={lang} />;
    return send(reply, { lang, status: 200, title: consentTexts[lang].sent.title, path: `${FORM_PATH}/sent`, body });
  });

  // Opening the link only shows it: mail scanners open every link they see.
  app.get<{ Params: { token: string } }>(`${FORM_PATH}/:token`, async (request, reply) => {
    const { token } = request.params;
    const seen = LINK_TOKEN.test(token) ? await deps.withdrawals.describe(token) : { state: 'unknown' as const };
    const fallback = 'lang' in seen ? seen.lang : undefined;
    const lang = negotiateLang(queryLang(request) ?? fallback, request.headers['accept-language']);
    if (seen.state !== 'ready') return linkPage(reply, lang, seen.state, token);
    const policy = deps.policy();
    // The statement above the button is recorded word for word when it is pressed, in this page's language.
    const statement = withdrawalStatement(
      lang,
      seen.purposes.map((id) => purposeName(policy, id, lang)),
    );
    const path = `${FORM_PATH}/${token}`;
    const body = <WithdrawReadyPage lang={lang} statement={statement} action={`${path}?lang=${lang}`} />;
    return send(reply, { lang, status: 200, title: consentTexts[lang].ready.title, path, body });
  });

  app.post<{ Params: { token: string } }>(`${FORM_PATH}/:token`, async (request, reply) => {
    const { token } = request.params;
    const asked = queryLang(request);
    const pageLang = asked === 'nl' || asked === 'en' ? asked : undefined;
    const result = LINK_TOKEN.test(token)
      ? await deps.withdrawals.confirm(token, pageLang)
      : { state: 'unknown' as const };
    const fallback = 'lang' in result ? result.lang : undefined;
    const lang = negotiateLang(queryLang(request) ?? fallback, request.headers['accept-language']);
    if (result.state === 'withdrawn') {
      const policy = deps.policy();
      const names = result.purposes.map((id) => purposeName(policy, id, lang));
      const body = <WithdrawnPage lang={lang} names={names} />;
      const path = `${FORM_PATH}/${token}`;
      return send(reply, { lang, status: 200, title: consentTexts[lang].withdrawn.title, path, body });
    }
    return linkPage(reply, lang, result.state === 'ready' ? 'unknown' : result.state, token);
  });
}
