import type { RequestType } from '../../requests/request.types.ts';
import type { Lang } from '../lang.ts';
import { Notice } from './layout.tsx';
import { requestTexts } from './request-texts.ts';

/** The pages around a request after its form: each is one heading, a few sentences, at most one action. */

function HomeLink({ lang, anchor, label }: { lang: Lang; anchor?: string; label?: string }) {
  return (
    <p>
      <a href={`/?lang=${lang}${anchor ? `#${anchor}` : ''}`}>{label ?? requestTexts[lang].pages.home}</a>
    </p>
  );
}

/** After the form: the same page whoever the address belongs to; it names the right, nothing more. */
export function SentPage({ lang, type }: { lang: Lang; type: RequestType | undefined }) {
  const t = requestTexts[lang];
  return (
    <Notice title={t.pages.sent.title}>
      {type && <p>{t.pages.sent.request(t.rights[type].name)}</p>}
      {t.pages.sent.body.map((line) => (
        <p key={line}>{line}</p>
      ))}
      <HomeLink lang={lang} />
    </Notice>
  );
}

/** Behind the verification link: opening it changes nothing; the one button does. */
export function VerifyReadyPage(props: { lang: Lang; type: RequestType; elsewhere: boolean; action: string }) {
  const t = requestTexts[props.lang].pages.ready;
  return (
    <Notice title={t.title}>
      <p>{t.request(requestTexts[props.lang].rights[props.type].name)}</p>
      <p>{t.body}</p>
      {props.elsewhere && <p>{t.elsewhere}</p>}
      <form method="post" action={props.action} class="confirm-form">
        <button type="submit">{t.button}</button>
      </form>
      <p class="muted">{t.notYou}</p>
    </Notice>
  );
}

export function LinkExpiredPage({ lang, type }: { lang: Lang; type: RequestType | undefined }) {
  const t = requestTexts[lang].pages.expired;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <HomeLink lang={lang} anchor={type} label={t.link} />
    </Notice>
  );
}

export function LinkUsedPage({ lang }: { lang: Lang }) {
  const t = requestTexts[lang].pages.used;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <HomeLink lang={lang} />
    </Notice>
  );
}

export function UnknownLinkPage({ lang }: { lang: Lang }) {
  const t = requestTexts[lang].pages.unknown;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <HomeLink lang={lang} />
    </Notice>
  );
}

export function ConfirmedPage({ lang, days }: { lang: Lang; days: number }) {
  const t = requestTexts[lang].pages.confirmed;
  return (
    <Notice title={t.title}>
      <p>{t.body(days)}</p>
      <HomeLink lang={lang} />
    </Notice>
  );
}

export function AwaitingIdentityPage({ lang }: { lang: Lang }) {
  const t = requestTexts[lang].pages.identity;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <HomeLink lang={lang} />
    </Notice>
  );
}

/** Behind the download link: opening it downloads nothing (mail scanners open links); the one button does. */
export function DownloadReadyPage(props: { lang: Lang; until: string; left: number; action: string }) {
  const t = requestTexts[props.lang].pages.download;
  return (
    <Notice title={t.title}>
      <p>{t.body(props.until, props.left)}</p>
      <form method="post" action={props.action} class="confirm-form">
        <button type="submit">{t.button}</button>
      </form>
      <p class="muted">{t.note}</p>
    </Notice>
  );
}

export function DownloadExpiredPage({ lang }: { lang: Lang }) {
  const t = requestTexts[lang].pages.downloadExpired;
  return (
    <Notice title={t.title}>
      <p>{t.body}</p>
      <HomeLink lang={lang} anchor="access" label={t.link} />
    </Notice>
  );
}

/** The page title of each notice, for the layout's <title>. */
export const noticeTitle = (lang: Lang, page: Exclude<keyof (typeof requestTexts)['nl']['pages'], 'home'>) =>
  requestTexts[lang].pages[page].title;
