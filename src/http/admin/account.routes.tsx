import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AdminServices } from '../../admin/build.ts';
import type { AuditTrail } from '../../audit/audit-trail.ts';
import { CsrfField } from './admin-layout.tsx';
import { actorOf, doneMessage, sendDeskPage } from './desk-http.tsx';
import { type DeskLang, langOf, setLangCookie } from './desk-lang.ts';
import { Desk, Message, type PageMessage } from './desk-parts.tsx';
import { requireRole } from './session.ts';

const Choice = z.object({ language: z.enum(['nl', 'en']) });

const W = {
  nl: {
    title: 'Uw account en taal',
    email: 'E-mailadres',
    role: 'Rol',
    roles: { officer: 'functionaris gegevensbescherming', staff: 'medewerker' },
    language: 'Taal van de back office',
    intro:
      'Elke pagina van de back office spreekt één taal: de taal die u hier kiest. Uw keuze geldt voor dit account.',
    save: 'Opslaan',
    saved: 'De taal is opgeslagen: de back office spreekt nu Nederlands.',
    choose: 'Kies Nederlands of Engels.',
  },
  en: {
    title: 'Your account and language',
    email: 'E-mail address',
    role: 'Role',
    roles: { officer: 'data protection officer', staff: 'staff' },
    language: 'Language of the back office',
    intro:
      'Every page of the back office speaks one language: the one you choose here. Your choice holds for this account.',
    save: 'Save',
    saved: 'The language is saved: the back office now speaks English.',
    choose: 'Choose Dutch or English.',
  },
};

const LANGUAGES: Record<DeskLang, string> = { nl: 'Nederlands', en: 'English' };

/** GET /admin/account: who is logged in, and the language they want; POST …/language saves it for the account. */
export function registerAccountRoutes(
  app: FastifyInstance,
  deps: { admin: AdminServices; audit: AuditTrail; baseUrl: string },
): void {
  const show = (
    lang: DeskLang,
    user: NonNullable<Parameters<typeof AccountPage>[0]['user']>,
    csrf: string,
    message?: PageMessage,
  ) => <AccountPage lang={lang} user={user} csrf={csrf} message={message} />;

  app.get('/admin/account', { preHandler: requireRole('staff') }, async (request, reply) => {
    const lang = langOf(request);
    return sendDeskPage(request, reply, {
      title: W[lang].title,
      active: 'account',
      body: show(lang, request.adminUser!, request.csrfToken ?? '', doneMessage(request, { language: W[lang].saved })),
    });
  });

  app.post('/admin/account/language', { preHandler: requireRole('staff') }, async (request, reply) => {
    const parsed = Choice.safeParse(request.body ?? {});
    if (!parsed.success) {
      const lang = langOf(request);
      return sendDeskPage(request, reply, {
        title: W[lang].title,
        active: 'account',
        status: 400,
        body: show(lang, request.adminUser!, request.csrfToken ?? '', { kind: 'error', text: W[lang].choose }),
      });
    }
    const { language } = parsed.data;
    await deps.admin.users.setLanguage(request.adminUser!.id, language);
    await deps.audit.record({
      actor: actorOf(request),
      action: 'user.language',
      target: `user:${request.adminUser!.id}`,
      details: { language },
    });
    setLangCookie(reply, language, deps.baseUrl.startsWith('https://'));
    return reply.redirect('/admin/account?done=language', 303);
  });
}

function AccountPage(props: {
  lang: DeskLang;
  user: { email: string; role: 'officer' | 'staff'; language: DeskLang };
  csrf: string;
  message?: PageMessage;
}) {
  const w = W[props.lang];
  return (
    <Desk>
      {props.message && <Message kind={props.message.kind}>{props.message.text}</Message>}
      <dl class="facts">
        <dt>{w.email}</dt>
        <dd>{props.user.email}</dd>
        <dt>{w.role}</dt>
        <dd>{w.roles[props.user.role]}</dd>
      </dl>
      <form method="post" action="/admin/account/language" class="decision stack">
        <CsrfField token={props.csrf} />
        <fieldset>
          <legend>{w.language}</legend>
          <p class="lead">{w.intro}</p>
          {(['nl', 'en'] as const).map((l) => (
            <label class="choice">
              <input type="radio" name="language" value={l} checked={props.user.language === l} />{' '}
              <span lang={l}>{LANGUAGES[l]}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit">{w.save}</button>
      </form>
    </Desk>
  );
}
