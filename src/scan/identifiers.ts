/**
 * Query parameters that look like they identify a visitor or a device: a known name of tracking
 * parameters, a UUID, a Google Analytics client id, a long random token, or the value of a cookie the
 * browser holds (a cookie id carried to another host in the URL). Only names are reported, never values.
 */
const ID_NAMES = new Set([
  'cid',
  'uid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'fbclid',
  'fbp',
  'fbc',
  '_fbp',
  '_fbc',
  'msclkid',
  'ttclid',
  'twclid',
  'yclid',
  'li_fat_id',
  'client_id',
  'clientid',
  'user_id',
  'userid',
  'visitor_id',
  'visitorid',
  'device_id',
  'deviceid',
  'anonymous_id',
  'anonymousid',
  'session_id',
  'sessionid',
  'sid',
  '_ga',
  '_gid',
  'ecid',
  'mc_eid',
]);

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** `1234567890.1712345678`, also with the `GA1.1.` prefix. */
const GA_CLIENT_ID = /^(GA\d\.\d\.)?\d{6,}\.\d{6,}$/;
/** A token of at least 16 characters mixing letters and digits, without spaces: a random id. */
const TOKEN = /^(?=.*[0-9])(?=.*[a-zA-Z])[A-Za-z0-9_.~+/=-]{16,}$/;

export function looksLikeIdentifier(name: string, value: string, cookieValues: ReadonlySet<string>): boolean {
  if (!value) return false;
  if (ID_NAMES.has(name.toLowerCase())) return true;
  if (UUID.test(value) || GA_CLIENT_ID.test(value) || TOKEN.test(value)) return true;
  return value.length >= 8 && cookieValues.has(value);
}

/** The names of a URL's query parameters that look like identifiers. */
export function identifierParams(url: URL, cookieValues: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (const [name, value] of url.searchParams) {
    if (looksLikeIdentifier(name, value, cookieValues)) names.add(name);
  }
  return [...names];
}
