import type { VNode } from 'preact';
import { formatList, type Lang } from '../policy/labels.ts';
import type { AnswerFacts, Recipient } from './export-answer.ts';
import { type AnswerWords, answerWords } from './export-answer-words.ts';
import { type ExportWords, exportWords } from './export-words.ts';

/**
 * The sections of index.html that tell what GDPR Art. 15 asks besides the data: purposes and legal
 * bases, categories, recipients, transfers, retention, sources, automated decisions, rights. Words only:
 * everything comes from the answer's facts, which are in the page's language.
 */

interface Props {
  facts: AnswerFacts;
  lang: Lang;
}

/** Every Art. 15 section, in the order the article lists them. */
export function AnswerFactsSections({ facts, lang }: Props): VNode {
  const a = answerWords(lang);
  const w = exportWords(lang);
  return (
    <>
      {facts.purposes.length > 0 && <Purposes facts={facts} a={a} lang={lang} />}
      {facts.categories.length > 0 && (
        <>
          <h2>{a.categoriesHeading}</h2>
          <ul>
            {facts.categories.map((c) => (
              <li>{c.name}</li>
            ))}
          </ul>
        </>
      )}
      {facts.recipients.length > 0 && <Recipients recipients={facts.recipients} a={a} w={w} lang={lang} />}
      <Transfers facts={facts} a={a} lang={lang} />
      {facts.retention.length > 0 && <Retention facts={facts} a={a} lang={lang} />}
      {facts.sources.length > 0 && <Sources facts={facts} a={a} />}
      {facts.automatedDecisions && (
        <>
          <h2>{a.automatedHeading}</h2>
          <p>{facts.automatedDecisions.text}</p>
        </>
      )}
      <Rights facts={facts} w={w} />
    </>
  );
}

function Purposes({ facts, a, lang }: { facts: AnswerFacts; a: AnswerWords; lang: Lang }): VNode {
  const c = a.purposeColumns;
  return (
    <>
      <h2>{a.purposesHeading}</h2>
      <p>{a.purposesIntro}</p>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{c.purpose}</th>
              <th scope="col">{c.basis}</th>
              <th scope="col">{c.data}</th>
            </tr>
          </thead>
          <tbody>
            {facts.purposes.map((p) => (
              <tr>
                <th scope="row">{p.name}</th>
                <td>{p.basis}</td>
                <td>{formatList(p.categoryNames, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Recipients(props: { recipients: Recipient[]; a: AnswerWords; w: ExportWords; lang: Lang }): VNode {
  const { recipients, a, w, lang } = props;
  return (
    <>
      <h2>{w.othersHeading}</h2>
      <p>{w.othersIntro}</p>
      {recipients.map((r) => (
        <section>
          <h3>{r.name}</h3>
          <dl class="facts">
            {r.legalName && <Fact label={w.company} value={r.legalName} />}
            {r.service && <Fact label={w.service} value={r.service} />}
            <Fact label={w.role} value={r.roleText} />
            {r.ownPurposes.length > 0 && (
              <>
                <dt>{a.ownPurposes}</dt>
                <dd>
                  {`${r.ownPurposes.join('; ')}.`}
                  {r.privacyStatement && (
                    <>
                      {' '}
                      <a href={r.privacyStatement}>{a.privacyStatement(r.name)}</a>
                    </>
                  )}
                </dd>
              </>
            )}
            {r.categoryNames.length > 0 && <Fact label={w.receives} value={formatList(r.categoryNames, lang)} />}
            {r.countryNames.length > 0 && <Fact label={w.where} value={formatList(r.countryNames, lang)} />}
          </dl>
          {r.later && <p class="note">{r.later}</p>}
        </section>
      ))}
    </>
  );
}

function Transfers({ facts, a, lang }: { facts: AnswerFacts; a: AnswerWords; lang: Lang }): VNode | null {
  if (facts.recipients.length === 0) return null;
  return (
    <>
      <h2>{a.transfersHeading}</h2>
      {facts.transfers.length === 0 ? (
        <p>{a.noTransfers}</p>
      ) : (
        <>
          <p>{a.transfersIntro}</p>
          <ul>
            {facts.transfers.map((t) => (
              <li>{`${t.name} (${formatList(t.countryNames, lang)}): ${t.safeguard ?? a.notStated}`}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Retention({ facts, a, lang }: { facts: AnswerFacts; a: AnswerWords; lang: Lang }): VNode {
  const c = a.retentionColumns;
  return (
    <>
      <h2>{a.retentionHeading}</h2>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{c.what}</th>
              <th scope="col">{c.term}</th>
              <th scope="col">{c.why}</th>
            </tr>
          </thead>
          <tbody>
            {facts.retention.map((r) => (
              <tr>
                <th scope="row">
                  {r.title}
                  <span class="cat"> ({formatList(r.categoryNames, lang)})</span>
                </th>
                <td>{r.term}</td>
                <td>{r.why ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Sources({ facts, a }: { facts: AnswerFacts; a: AnswerWords }): VNode {
  return (
    <>
      <h2>{a.sourcesHeading}</h2>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">{a.sourceColumns.data}</th>
              <th scope="col">{a.sourceColumns.source}</th>
            </tr>
          </thead>
          <tbody>
            {facts.sources.map((s) => (
              <tr>
                <th scope="row">{s.name}</th>
                <td>{s.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** GDPR Art. 15(1)(e)-(f): the rights, whom to ask, and where to complain. */
export function Rights({ facts, w }: { facts: AnswerFacts; w: ExportWords }): VNode {
  const { items, contact, complaintAuthority: authority } = facts.rights;
  return (
    <>
      <h2>{w.rightsHeading}</h2>
      <p>{w.rightsIntro}</p>
      <ul>
        {items.map((item) => (
          <li>{item.title}</li>
        ))}
      </ul>
      <p>{w.contact(contact.name, contact.email)}</p>
      <p>
        {w.complaint} {authority.website ? <a href={authority.website}>{authority.name}</a> : authority.name}.
      </p>
    </>
  );
}

export function Fact({ label, value }: { label: string; value: string }): VNode {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
