import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type FakeProcessor, type FakeRequest, sendJson, startFakeServer } from './fake-processor.ts';

/**
 * The Google Analytics Admin API, as far as the connector uses it:
 * - `POST /v1alpha/properties/{id}:submitUserDeletion` with exactly one of `userId`, `clientId`,
 *   `appInstanceId`, `userProvidedData` → `{ deletionRequestTime }`;
 * - `GET /v1alpha/properties/{id}` → the property;
 * - OAuth bearer tokens: a fixed access token, or one from `POST /token` for a service account's
 *   signed JWT (RS256, `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`);
 * - errors as Google sends them: `{ error: { code, message, status } }` (UNAUTHENTICATED,
 *   PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, RESOURCE_EXHAUSTED).
 */

export const GA_FAKE = {
  propertyId: '412345678',
  accessToken: 'ya29.fake-analytics-token-0123456789',
  clientEmail: 'inzage@balkonzon-analytics.iam.gserviceaccount.com',
} as const;

export interface GoogleAnalyticsFakeOptions {
  /** False: tokens may read the property but not delete (a Viewer, not an Editor). */
  canEdit?: boolean;
}

export interface GoogleAnalyticsFake extends FakeProcessor {
  /** Deletion requests received, in order. */
  deletions: Array<{ kind: string; value: string; at: string }>;
  /** A service account JSON key the fake's token endpoint accepts. */
  serviceAccountKey: string;
  /** Tokens issued for service-account JWTs. */
  tokensIssued(): number;
}

const USER_FIELDS = ['userId', 'clientId', 'appInstanceId', 'userProvidedData'];

export async function startGoogleAnalyticsFake(options: GoogleAnalyticsFakeOptions = {}): Promise<GoogleAnalyticsFake> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const tokens = new Set<string>([GA_FAKE.accessToken]);
  const deletions: GoogleAnalyticsFake['deletions'] = [];
  let issued = 0;

  const handler = (req: FakeRequest, res: ServerResponse) => {
    if (req.path === '/token' && req.method === 'POST') return exchange(req, res);
    const route = /^\/v1alpha\/properties\/([^/:]+)(:submitUserDeletion)?$/.exec(req.path);
    if (!route) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.has(token))
      return googleError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    if (route[1] !== GA_FAKE.propertyId)
      return googleError(res, 403, 'PERMISSION_DENIED', 'User does not have sufficient permissions for this property.');
    if (!route[2] && req.method === 'GET')
      return sendJson(res, 200, {
        name: `properties/${GA_FAKE.propertyId}`,
        displayName: 'Balkonzon webshop',
        timeZone: 'Europe/Amsterdam',
        currencyCode: 'EUR',
      });
    if (route[2] && req.method === 'POST') {
      if (options.canEdit === false)
        return googleError(
          res,
          403,
          'PERMISSION_DENIED',
          'User does not have sufficient permissions for this property.',
        );
      const body = req.json<Record<string, unknown>>() ?? {};
      const given = USER_FIELDS.filter((f) => typeof body[f] === 'string' && body[f] !== '');
      if (given.length !== 1 || Object.keys(body).length !== 1)
        return googleError(res, 400, 'INVALID_ARGUMENT', 'Exactly one user identifier must be set.');
      const at = new Date().toISOString();
      deletions.push({ kind: given[0]!, value: String(body[given[0]!]), at });
      return sendJson(res, 200, { deletionRequestTime: at });
    }
    return googleError(res, 405, 'INVALID_ARGUMENT', 'Method not allowed.');
  };

  function exchange(req: FakeRequest, res: ServerResponse) {
    const form = req.form();
    const [header, claims, signature] = (form.get('assertion') ?? '').split('.');
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !header || !claims || !signature)
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'Invalid grant or assertion.' });
    const valid = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, signature, 'base64url');
    const jwt = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (
      !valid ||
      jwt.iss !== GA_FAKE.clientEmail ||
      jwt.aud !== `${fake.url}/token` ||
      !String(jwt.scope).split(' ').includes('https://www.googleapis.com/auth/analytics.edit') ||
      // Lifetime, not the wall clock: the client's clock is a test's fake one.
      !(Number(jwt.exp) > Number(jwt.iat) && Number(jwt.exp) - Number(jwt.iat) <= 3600)
    )
      return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    issued++;
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.add(accessToken);
    sendJson(res, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  }

  const fake = await startFakeServer(handler, {
    env: (url) => ({
      GA_PROPERTY_ID: GA_FAKE.propertyId,
      GA_ACCESS_TOKEN: GA_FAKE.accessToken,
      GA_API_URL: url,
    }),
    failure: (res, status, retryAfter) =>
      googleError(
        res,
        status,
        status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT',
        'Injected failure.',
        retryAfter,
      ),
  });
  const serviceAccountKey = JSON.stringify({
    type: 'service_account',
    client_email: GA_FAKE.clientEmail,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    token_uri: `${fake.url}/token`,
  });
  return { ...fake, deletions, serviceAccountKey, tokensIssued: () => issued };
}

function googleError(res: ServerResponse, code: number, status: string, message: string, retryAfter?: number) {
  sendJson(
    res,
    code,
    { error: { code, message, status } },
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
  );
}
