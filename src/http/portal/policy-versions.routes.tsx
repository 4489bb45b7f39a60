import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Clock } from '../../lib/clock.ts';
import { formatDateTime } from '../../notify/templates/words.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import { renderPolicyBody } from '../../policy/render.ts';
import { type PolicyVersion, versionState } from '../../policy/versions.ts';
import type { RegisterServices } from '../../registers/build.ts';
import type { Lang } from '../lang.ts';
import { negotiateLang } from '../lang.ts';
import { Notice, type PortalView, sendPortalPage } from './layout.tsx';

/**
 * /privacy/versions: every version of the policy, with the dates it held; /privacy/versions/:n renders
 * one. Before anything is published, the policy Inzage started with is version 1.
 */

export interface PolicyVersionPageDeps {
  registers: RegisterServices;
  policy: () => Policy;
  clock: Clock;
}

const WORDS = {
  nl: {
    title: 'Eerdere versies van het privacybeleid',
    intro: 'Elke versie van ons privacybeleid blijft hier te lezen, met de periode waarin zij gold.',
    version: 'Versie',
    from: 'geldig vanaf',
    until: 'tot',
    state: { pending: 'gaat in', 'in-force': 'geldt nu', superseded: 'vervangen' },
    current: 'Het beleid dat nu geldt',
    all: 'Alle versies',
    thisIs: (n: number, from: string, until: string | null) =>
      `Dit is versie ${n}, geldig vanaf ${from}${until ? ` tot ${until}` : ''}.`,
    notFound: 'Deze versie bestaat niet',
    notFoundText: 'Er is geen versie van het privacybeleid met dit nummer.',
  },
  en: {
    title: 'Earlier versions of the privacy policy',
    intro: 'Every version of our privacy policy stays readable here, with the period in which it applied.',
    version: 'Version',
    from: 'valid from',
    until: 'until',
    state: { pending: 'takes effect', 'in-force': 'in force', superseded: 'replaced' },
    current: 'The policy in force now',
    all: 'All versions',
    thisIs: (n: number, from: string, until: string | null) =>
      `This is version ${n}, valid from ${from}${until ? ` until ${until}` : ''}.`,
    notFound: 'No such version',
    notFoundText: 'There is no version of the privacy policy with this number.',
  },
} as const;

function VersionList({ versions, lang, now }: { versions: PolicyVersion[]; lang: Lang; now: Date }) {
  const w = WORDS[lang];
  return (
    <section>
      <h1>{w.title}</h1>
      <p>{w.intro}</p>
      <ol class="versions" reversed>
        {versions.map((v) => (
          <li id={`version-${v.number}`}>
            <a href={`/privacy/versions/${v.number}?lang=${lang}`}>
              {w.version} {v.number} ({v.label})
            </a>
            {' — '}
            {w.from} {formatDateTime(v.effectiveAt, lang)}
            {v.supersededAt ? ` ${w.until} ${formatDateTime(v.supersededAt, lang)}` : ''} ·{' '}
            <strong>{w.state[versionState(v, now)]}</strong>
          </li>
        ))}
      </ol>
      <p>
        <a href={`/privacy?lang=${lang}`}>{w.current}</a>
      </p>
    </section>
  );
}

export function registerPolicyVersionPageRoutes(app: FastifyInstance, deps: PolicyVersionPageDeps): void {
  const send = (reply: FastifyReply, view: PortalView) => sendPortalPage(reply, deps.policy().controller.name, view);
  const langOf = (request: { query: unknown; headers: { 'accept-language'?: string } }) =>
    negotiateLang((request.query as { lang?: string } | undefined)?.lang, request.headers['accept-language']);

  app.get('/privacy/versions', async (request, reply) => {
    const lang = langOf(request);
    await deps.registers.ensureFirstVersion();
    const versions = await deps.registers.policyVersions.list();
    return send(reply, {
      lang,
      status: 200,
      title: WORDS[lang].title,
      path: '/privacy/versions',
      body: <VersionList versions={versions} lang={lang} now={deps.clock.now()} />,
    });
  });

  app.get('/privacy/versions/:n', async (request, reply) => {
    const lang = langOf(request);
    const w = WORDS[lang];
    const raw = (request.params as { n?: string }).n ?? '';
    await deps.registers.ensureFirstVersion();
    const version = /^[1-9]\d{0,6}$/.test(raw) ? await deps.registers.policyVersions.get(Number(raw)) : undefined;
    const path = `/privacy/versions/${raw}`;
    if (!version) {
      return send(reply, {
        lang,
        status: 404,
        title: w.notFound,
        path: '/privacy/versions',
        body: (
          <Notice title={w.notFound}>
            <p>{w.notFoundText}</p>
            <p>
              <a href={`/privacy/versions?lang=${lang}`}>{w.all}</a>
            </p>
          </Notice>
        ),
      });
    }
    const until = version.supersededAt ? formatDateTime(version.supersededAt, lang) : null;
    return send(reply, {
      lang,
      status: 200,
      title: `${w.version} ${version.number}`,
      path,
      body: (
        <>
          <p class="notice">
            {w.thisIs(version.number, formatDateTime(version.effectiveAt, lang), until)}{' '}
            <a href={`/privacy?lang=${lang}`}>{w.current}</a> · <a href={`/privacy/versions?lang=${lang}`}>{w.all}</a>
          </p>
          {renderPolicyBody(version.policy, lang)}
        </>
      ),
    });
  });
}
