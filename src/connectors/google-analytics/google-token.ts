import { createHash, createSign } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { ProcessorError } from '../http/http-client.ts';

/**
 * The bearer token for the Google Analytics Admin API. The credential is either an OAuth access
 * token as it is (short-lived: for trying things out), or a service account's JSON key, which is
 * exchanged for tokens here (OAuth 2.0 JWT bearer grant, RFC 7523): a JWT signed with the key's
 * RS256 private key, posted to the key's `token_uri`. Tokens are cached until shortly before expiry.
 */

export const ANALYTICS_EDIT_SCOPE = 'https://www.googleapis.com/auth/analytics.edit';
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const JWT_LIFETIME_S = 3600;

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  token_uri: string;
}

/** The service account key in the credential, or undefined when it is a plain access token. */
export function serviceAccountKey(credential: string, system = 'google-analytics'): ServiceAccountKey | undefined {
  if (!credential.trim().startsWith('{')) return undefined;
  let key: Partial<ServiceAccountKey> & { type?: string };
  try {
    key = JSON.parse(credential);
  } catch {
    throw new ProcessorError(system, 'auth', 'the credential looks like a JSON key but does not parse', {
      retryable: false,
    });
  }
  if (!key.client_email || !key.private_key || !key.token_uri)
    throw new ProcessorError(system, 'auth', 'the JSON key lacks client_email, private_key or token_uri', {
      retryable: false,
    });
  return { client_email: key.client_email, private_key: key.private_key, token_uri: key.token_uri };
}

export class GoogleTokenCache {
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();
  readonly #pending = new Map<string, Promise<string>>();
  fetches = 0;

  /** The access token to send: the credential itself, or one exchanged for the service account's key. */
  async get(credential: string, fetchFn: typeof fetch, clock: Clock, system: string): Promise<string> {
    const key = serviceAccountKey(credential, system);
    if (!key) return credential;
    const id = `${key.token_uri}|${key.client_email}|${createHash('sha256').update(key.private_key).digest('hex').slice(0, 16)}`;
    const cached = this.#tokens.get(id);
    if (cached && cached.expiresAt - RENEW_BEFORE_MS > clock.now().getTime()) return cached.token;
    const pending = this.#pending.get(id);
    if (pending) return pending;
    const fetching = this.#exchange(key, fetchFn, clock, system)
      .then(({ token, expiresAt }) => {
        this.#tokens.set(id, { token, expiresAt });
        return token;
      })
      .finally(() => this.#pending.delete(id));
    this.#pending.set(id, fetching);
    return fetching;
  }

  async #exchange(key: ServiceAccountKey, fetchFn: typeof fetch, clock: Clock, system: string) {
    this.fetches++;
    const now = Math.floor(clock.now().getTime() / 1000);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
      iss: key.client_email,
      scope: ANALYTICS_EDIT_SCOPE,
      aud: key.token_uri,
      iat: now,
      exp: now + JWT_LIFETIME_S,
    })}`;
    let signature: string;
    try {
      signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
    } catch (err) {
      throw new ProcessorError(system, 'auth', "the service account's private key cannot sign", {
        retryable: false,
        cause: err,
      });
    }
    let res: Response;
    try {
      res = await fetchFn(key.token_uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: `${unsigned}.${signature}`,
        }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new ProcessorError(system, 'unavailable', 'token endpoint: network error', { retryable: true, cause: err });
    }
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok && typeof answer.access_token === 'string') {
      const seconds = Number(answer.expires_in ?? JWT_LIFETIME_S);
      return { token: answer.access_token, expiresAt: clock.now().getTime() + seconds * 1000 };
    }
    if (res.status === 429 || res.status >= 500)
      throw new ProcessorError(system, 'unavailable', `token endpoint: HTTP ${res.status}`, {
        status: res.status,
        retryable: true,
      });
    const code = typeof answer.error === 'string' ? answer.error : `HTTP ${res.status}`;
    throw new ProcessorError(system, 'auth', `Google refused the service account's key: ${code}`, {
      status: res.status,
      retryable: false,
    });
  }
}

/** One cache for the process: connectors are built per request, tokens outlive them. */
export const googleTokens = new GoogleTokenCache();
