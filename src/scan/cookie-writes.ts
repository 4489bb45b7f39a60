/**
 * A cookie being written, from a `Set-Cookie` header or a script's `document.cookie = …`: its name,
 * the domain it names (if any), and whether the write deletes it (an expiry in the past, `max-age=0`).
 */
export interface CookieWrite {
  name: string;
  /** The `Domain` attribute, without a leading dot; null: the host that wrote it. */
  domain: string | null;
  deletes: boolean;
}

export function parseCookieWrite(text: string, now = Date.now()): CookieWrite | undefined {
  const [pair = '', ...attributes] = text.split(';');
  const eq = pair.indexOf('=');
  const name = (eq < 0 ? '' : pair.slice(0, eq)).trim();
  if (!name) return undefined;
  let domain: string | null = null;
  let deletes = false;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'domain' && value) domain = value.replace(/^\./, '').toLowerCase();
    if (key === 'max-age' && /^-?\d+$/.test(value) && Number(value) <= 0) deletes = true;
    if (key === 'expires' && Date.parse(value) < now) deletes = true;
  }
  return { name, domain, deletes };
}

/** Whether a cookie's domain (`.balkonzon.nl`, `localhost`) is the one a write meant (its Domain or host). */
export function sameCookieDomain(cookieDomain: string, writeDomain: string): boolean {
  const a = cookieDomain.replace(/^\./, '').toLowerCase();
  const b = writeDomain.replace(/^\./, '').toLowerCase();
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}
