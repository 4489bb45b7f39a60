import {
  errorsIn,
  type Finding,
  type FindingKind,
  type PassName,
  type PassReport,
  type ScanReport,
} from './scan.types.ts';

/** `inzage scan` without `--json`: what was visited, what each pass saw, and the findings in words. */

export const PASS_WORDS: Record<PassName, string> = {
  'no-choice': 'no choice made',
  reject: 'after "Alles weigeren"',
  accept: 'after "Alles accepteren"',
};

export const KIND_WORDS: Record<FindingKind, string> = {
  'cookie-before-consent': 'a cookie that needs consent, set before any choice',
  'host-before-consent': 'a third party that needs consent, reached before any choice',
  'cookie-after-reject': 'a cookie that needs consent, set after "Alles weigeren"',
  'host-after-reject': 'a third party that needs consent, reached after "Alles weigeren"',
  'undeclared-cookie': 'a cookie the policy does not declare',
  'undeclared-host': 'a third-party host no processor or cookie service of the policy declares',
  'consent-mode-order': "a Google tag fired before gtag('consent', 'default', …)",
  'declared-not-seen': 'declared in the policy, never seen (perhaps the policy can be shorter)',
};

const CHOICE_WORDS: Record<PassReport['choice'], string> = {
  none: '',
  'inzage-banner': "clicked on Inzage's banner",
  'configured-banner': 'clicked on the banner named in scan.yaml',
  'banner-not-found': 'NO BANNER FOUND: the pages were visited without a choice',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function describeScan(report: ScanReport): string[] {
  const lines = [
    `Scanned ${plural(report.pages.length, 'page')} in ${plural(report.passes.length, 'pass', 'passes')} (${report.seconds} s):`,
    ...report.pages.map((p) => `  ${p}`),
  ];
  if (report.incomplete) lines.push(`INCOMPLETE: ${report.incomplete}`);
  lines.push('', 'What each pass saw:');
  for (const pass of report.passes) lines.push(...describePass(pass));
  const errors = errorsIn(report.findings);
  const warnings = report.findings.length - errors.length;
  lines.push('');
  if (report.findings.length === 0) {
    lines.push('No findings: the pages do what the policy says.');
    return lines;
  }
  lines.push(`${plural(errors.length, 'error')}, ${plural(warnings, 'warning')}:`);
  for (const f of report.findings) lines.push(...describeFinding(f));
  return lines;
}

function describePass(pass: PassReport): string[] {
  const hosts = [...new Set(pass.requests.map((r) => r.host))];
  const choice = CHOICE_WORDS[pass.choice];
  const lines = [`  ${PASS_WORDS[pass.name]}${choice ? ` (${choice})` : ''}:`];
  const cookie = (c: PassReport['cookies'][number]) =>
    `${c.name} (${c.party}-party, ${c.domain}${c.setBy.url ? `, by ${c.setBy.url}` : ''})`;
  lines.push(`    cookies: ${pass.cookies.map(cookie).join('; ') || 'none'}`);
  const keys = [...new Set(pass.storage.map((s) => `${s.key} (${s.kind})`))];
  lines.push(`    storage: ${keys.join(', ') || 'none'}`);
  const host = (h: string) => {
    const rs = pass.requests.filter((r) => r.host === h);
    const marks = [
      [...new Set(rs.map((r) => r.type))].join('/'),
      rs.some((r) => r.cookie) ? 'with cookie' : '',
      rs.some((r) => r.identifiers.length) ? `ids: ${[...new Set(rs.flatMap((r) => r.identifiers))].join(',')}` : '',
    ].filter(Boolean);
    return `${h} (${marks.join(', ')})`;
  };
  lines.push(`    third-party hosts: ${hosts.map(host).join('; ') || 'none'}`);
  lines.push(`    Consent Mode calls: ${consentSequences(pass) || 'none'}`);
  for (const e of pass.errors) lines.push(`    page error: ${e.page}: ${e.message}`);
  return lines;
}

/** `default → update (6 pages)`: the calls per page in order, pages with the same order counted together. */
function consentSequences(pass: PassReport): string {
  const byPage = new Map<string, string[]>();
  for (const c of pass.consentMode) byPage.set(c.page, [...(byPage.get(c.page) ?? []), c.call]);
  const counts = new Map<string, number>();
  for (const calls of byPage.values()) counts.set(calls.join(' → '), (counts.get(calls.join(' → ')) ?? 0) + 1);
  return [...counts].map(([sequence, n]) => `${sequence} (${plural(n, 'page')})`).join('; ');
}

function describeFinding(f: Finding): string[] {
  const what = f.host && f.host !== f.name ? `${f.name} (${f.host})` : f.name;
  const where = [f.page, f.pass ? PASS_WORDS[f.pass] : ''].filter(Boolean).join(', ');
  return [
    `  ${f.severity.toUpperCase().padEnd(7)} ${f.kind.padEnd(22)} ${what}`,
    `          ${KIND_WORDS[f.kind]}${where ? `; ${where}` : ''}`,
  ];
}
