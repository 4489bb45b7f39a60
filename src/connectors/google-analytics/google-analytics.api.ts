import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ApiErasure, ProcessorApi, ProcessorApiCheck, ProcessorApiContext } from '../api/processor-api.ts';
import type { CollectionFindings, EraseOptions, SubjectIdentity } from '../connector.ts';
import { normalizeEmail } from '../connector.ts';
import { ProcessorError } from '../http/http-client.ts';
import { explainFailure, parseAnswer } from '../processor-helpers.ts';
import { Options, signIns } from './google-analytics.factory.ts';
import { googleTokens } from './google-token.ts';

/**
 * Google Analytics 4 through the Admin API's User Deletion
 * (`POST /v1alpha/properties/{property}:submitUserDeletion` with one of `userId`, `clientId`,
 * `appInstanceId`). Analytics keeps a visitor's data under a random cookie id (the client id), not
 * under an e-mail address, so erasure can only be asked for ids the shop knows for the person:
 * - ids it passed on with the request (`AnalyticsSubject.analytics`, e.g. from its own records of the
 *   `_ga` cookie or the user id it sends Analytics), and
 * - a user id derived from the e-mail address, for shops that send Analytics the SHA-256 of the
 *   normalised address as user id (option `userIdFromEmail: sha256`).
 * Without any, nothing can be deleted and the answer says so. There is no export per visitor:
 * access lists Google Analytics as a processor without an export API (capability `access: false`).
 */

/** A subject as the GA connector reads it: the e-mail address, and Analytics ids when the shop knows them. */
export interface AnalyticsSubject extends SubjectIdentity {
  analytics?: {
    /** `_ga` cookie ids (e.g. 1234567890.1712345678). */
    clientIds?: string[];
    /** The user ids the shop sent Analytics for this person. */
    userIds?: string[];
    /** Firebase app instance ids, for a shop app. */
    appInstanceIds?: string[];
  };
}

const Deletion = z.looseObject({ deletionRequestTime: z.string() });
const Property = z.looseObject({ name: z.string(), displayName: z.string().nullish() });

type IdKind = 'clientId' | 'userId' | 'appInstanceId';
const KIND_WORDS: Record<IdKind, [string, string]> = {
  clientId: ['client id', 'client ids'],
  userId: ['user id', 'user ids'],
  appInstanceId: ['app instance id', 'app instance ids'],
};

export class GoogleAnalyticsApi implements ProcessorApi {
  // What this code does; registry.test.ts holds it to the description in google-analytics.factory.ts.
  readonly capabilities = { access: false, erase: true, rectify: false, restrict: false };
  readonly #ctx: ProcessorApiContext;
  readonly #options: Options;
  readonly #property: string;

  constructor(ctx: ProcessorApiContext) {
    this.#ctx = ctx;
    this.#options = Options.parse(ctx.options);
    this.#property = propertyId(ctx.credentials.propertyId ?? '');
  }

  /** No export per visitor exists; the request's answer names Google Analytics as a processor without one. */
  async find(_subject: SubjectIdentity): Promise<CollectionFindings[]> {
    return [];
  }

  async erase(subject: AnalyticsSubject, _options: EraseOptions): Promise<ApiErasure> {
    const ids = this.#idsOf(subject);
    if (ids.length === 0)
      return {
        answer:
          'no client id or user id known for this person, so Google Analytics could not be asked to delete anything',
        collections: [],
      };
    await this.#signIn();
    let until = '';
    for (const { kind, value } of ids) {
      const res = await this.#ctx.http.request({
        method: 'POST',
        path: `v1alpha/properties/${this.#property}:submitUserDeletion`,
        json: { [kind]: value },
      });
      until = parseAnswer(this.#ctx.system, Deletion, res.body, 'submitUserDeletion').deletionRequestTime;
    }
    return {
      answer: `deletion submitted for ${describeIds(ids)}; Google deletes what it received for them up to ${until}`,
      collections: [
        {
          system: this.#ctx.system,
          collection: 'users',
          found: ids.length,
          deleted: ids.length,
          anonymised: 0,
          sealed: 0,
          keptFields: [],
        },
      ],
    };
  }

  async test(): Promise<{ ok: boolean; checks: ProcessorApiCheck[] }> {
    try {
      await this.#signIn();
    } catch (err) {
      // Our own words for a refused service-account key say which part was refused.
      const message = err instanceof ProcessorError ? err.message : explainFailure(err);
      return { ok: false, checks: [{ name: 'credentials', ok: false, message }] };
    }
    try {
      const res = await this.#ctx.http.request({ method: 'GET', path: `v1alpha/properties/${this.#property}` });
      const property = parseAnswer(this.#ctx.system, Property, res.body, 'property');
      const name = property.displayName ? ` ("${property.displayName}")` : '';
      return {
        ok: true,
        checks: [
          { name: 'property', ok: true, message: `property ${property.name}${name} can be reached` },
          {
            name: 'deletion',
            ok: true,
            message: 'user deletion needs the Editor role on the property (not tried: it cannot be undone)',
          },
        ],
      };
    } catch (err) {
      const missing = err instanceof ProcessorError && err.status === 404;
      const message = missing ? `no property ${this.#property} (HTTP 404)` : explainFailure(err);
      return { ok: false, checks: [{ name: 'property', ok: false, message }] };
    }
  }

  /** A refused service-account key stops here, instead of being retried as a network error by the HTTP client. */
  async #signIn(): Promise<void> {
    const signIn = signIns.get(this.#ctx.credentials);
    try {
      await googleTokens.get(
        this.#ctx.credentials.accessToken ?? '',
        signIn ?? globalThis.fetch,
        this.#ctx.clock,
        this.#ctx.system,
      );
    } catch (err) {
      if (!(err instanceof ProcessorError) || err.kind === 'auth') throw err;
    }
  }

  #idsOf(subject: AnalyticsSubject): Array<{ kind: IdKind; value: string }> {
    const given = subject.analytics ?? {};
    const ids: Array<{ kind: IdKind; value: string }> = [
      ...(given.clientIds ?? []).map((value) => ({ kind: 'clientId' as const, value })),
      ...(given.userIds ?? []).map((value) => ({ kind: 'userId' as const, value })),
      ...(given.appInstanceIds ?? []).map((value) => ({ kind: 'appInstanceId' as const, value })),
    ];
    if (this.#options.userIdFromEmail === 'sha256')
      ids.push({ kind: 'userId', value: createHash('sha256').update(normalizeEmail(subject.email)).digest('hex') });
    const seen = new Set<string>();
    return ids.filter(({ kind, value }) => {
      const key = `${kind}:${value.trim()}`;
      if (!value.trim() || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

/** "1 client id and 2 user ids": counts only, the ids themselves identify the person. */
function describeIds(ids: Array<{ kind: IdKind }>): string {
  const parts = (Object.keys(KIND_WORDS) as IdKind[]).flatMap((kind) => {
    const n = ids.filter((i) => i.kind === kind).length;
    return n ? [`${n} ${KIND_WORDS[kind][n === 1 ? 0 : 1]}`] : [];
  });
  return parts.join(' and ');
}

/** `123456789` or `properties/123456789` → `123456789`. */
export function propertyId(value: string): string {
  return value.trim().replace(/^properties\//, '');
}

/** The implementation google-analytics.factory.ts loads on first use. */
export const create = (ctx: ProcessorApiContext): ProcessorApi => new GoogleAnalyticsApi(ctx);
