import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { ProcessorError } from '../http/http-client.ts';

/**
 * Microsoft identity platform, client-credentials flow: the app's own token for Graph
 * (`POST {login}/{tenant}/oauth2/v2.0/token`, scope `https://graph.microsoft.com/.default`).
 * A token is cached until shortly before it expires, and shared by every connector built with the
 * same tenant, app and secret, so that a request does not cost a token fetch.
 */

export interface GraphAppCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com */
  loginUrl: string;
}

export interface GraphToken {
  accessToken: string;
  /** ms since the epoch, by the clock that fetched it. */
  expiresAt: number;
  /** The application permissions in the token (its `roles` claim), when the token is a readable JWT. */
  roles: string[] | undefined;
}

/** A token is renewed this long before it expires, so that a request never goes out with a dying one. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export class GraphTokenCache {
  readonly #tokens = new Map<string, GraphToken>();
  readonly #pending = new Map<string, Promise<GraphToken>>();
  /** How many tokens were fetched; tests and the benchmark read it. */
  fetches = 0;

  /** A valid token, fetched when there is none or it is about to expire. Concurrent callers share one fetch. */
  async get(app: GraphAppCredentials, fetchFn: typeof fetch, clock: Clock, system: string): Promise<GraphToken> {
    const key = cacheKey(app);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt - RENEW_BEFORE_MS > clock.now().getTime()) return cached;
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const fetching = this.#fetch(app, fetchFn, clock, system)
      .then((token) => {
        this.#tokens.set(key, token);
        return token;
      })
      .finally(() => this.#pending.delete(key));
    this.#pending.set(key, fetching);
    return fetching;
  }

  /** Forgets a token Graph refused (revoked, or the app's permissions changed). */
  drop(app: GraphAppCredentials): void {
    this.#tokens.delete(cacheKey(app));
  }

  async #fetch(app: GraphAppCredentials, fetchFn: typeof fetch, clock: Clock, system: string): Promise<GraphToken> {
    this.fetches++;
    const url = `${app.loginUrl.replace(/\/$/, '')}/${encodeURIComponent(app.tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: GRAPH_SCOPE,
    });
    let res: Response;
    try {
      res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new ProcessorError(system, 'unavailable', 'token endpoint: network error', { retryable: true, cause: err });
    }
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok && typeof answer.access_token === 'string') {
      const seconds = Number(answer.expires_in ?? 3599);
      return {
        accessToken: answer.access_token,
        expiresAt: clock.now().getTime() + (Number.isFinite(seconds) ? seconds : 3599) * 1000,
        roles: rolesOf(answer.access_token),
      };
    }
    if (res.status === 429 || res.status >= 500)
      throw new ProcessorError(system, 'unavailable', `token endpoint: HTTP ${res.status}`, {
        status: res.status,
        retryable: true,
      });
    // The error code (invalid_client, unauthorized_client, invalid_tenant…) is safe to show; the
    // description can quote the app id, so only its AADSTS number is kept.
    const code = typeof answer.error === 'string' ? answer.error : `HTTP ${res.status}`;
    const aadsts = /AADSTS\d+/.exec(String(answer.error_description ?? ''))?.[0];
    throw new ProcessorError(
      system,
      'auth',
      `token endpoint refused the app's credentials: ${code}${aadsts ? ` (${aadsts})` : ''}`,
      { status: res.status, retryable: false },
    );
  }
}

/** One cache for the process: connectors are built per request, the token outlives them. */
export const graphTokens = new GraphTokenCache();

function cacheKey(app: GraphAppCredentials): string {
  const secret = createHash('sha256').update(app.clientSecret).digest('hex').slice(0, 16);
  return [app.loginUrl, app.tenantId, app.clientId, secret].join('|');
}

/** The `roles` claim of a JWT access token (not verified: only used to say which permissions are missing). */
export function rolesOf(token: string): string[] | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return undefined;
  }
}
