import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiKeys } from '../../apikeys/api-keys.ts';
import { InzageError } from '../../lib/errors.ts';
import { oneLine } from '../../lib/text-input.ts';
import type { IntakeService } from '../../requests/intake.service.ts';
import { subjectRef } from '../../requests/intake.service.ts';
import type { RequestRepository } from '../../requests/request.repository.ts';
import { NewRequest } from '../../requests/request.types.ts';
import type { ApiRegistry } from './api-route.ts';

export interface RequestApiDeps {
  intake: IntakeService;
  /** Whether the newest consent for later contact is a grant (the contact-consent capability). */
  contactAllowedFor: (email: string) => Promise<boolean>;
  requests: RequestRepository;
  apiKeys: ApiKeys;
  secret: string;
}

/** Per client (IP address): enough for a family behind one router, too few to probe or flood. */
export const INTAKE_RATE_LIMIT = { max: 20, timeWindow: '1 minute' };

const Accepted = z.object({ id: z.string(), status: z.string() }).meta({ id: 'RequestAccepted' });
const SubjectStatus = z
  .object({
    restricted: z.boolean().meta({ description: 'Processing is restricted: do not use the data except to store it' }),
    objection: z.boolean().meta({ description: 'An objection is pending or upheld: stop the processing objected to' }),
    contactAllowed: z.boolean().meta({
      description: 'True only when not restricted, no objection, and the newest consent for later contact is a grant',
    }),
  })
  .meta({ id: 'SubjectStatus' });

/** The shop authenticates with `Authorization: Bearer <key>` from `inzage apikey create`. */
export async function requireApiKey(request: FastifyRequest, apiKeys: ApiKeys): Promise<void> {
  const header = request.headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!key || !(await apiKeys.check(key))) {
    throw new InzageError('UNAUTHORIZED', 'A valid API key is required: Authorization: Bearer <key>.');
  }
}

export function registerRequestApiRoutes(app: FastifyInstance, api: ApiRegistry, deps: RequestApiDeps): void {
  api.add(
    app,
    {
      method: 'POST',
      url: '/api/v1/requests',
      summary: 'Make a data-subject request; a verification link goes to the address',
      description:
        'The answer is the same for an address the shop knows and one it does not. A second open request of the same type for the same address is joined to the first.',
      tags: ['requests'],
      body: NewRequest,
      rateLimit: INTAKE_RATE_LIMIT,
      responses: {
        202: { description: 'Accepted; the person confirms through the link in the e-mail', schema: Accepted },
        429: { description: 'Too many requests from this client or for this address' },
      },
    },
    async ({ body, reply }) => reply.status(202).send(await deps.intake.submit(body)),
  );

  api.add(
    app,
    {
      method: 'GET',
      url: '/api/v1/subjects/status',
      summary: 'May the shop process and contact this person? (restriction, objection)',
      tags: ['shop'],
      auth: 'apiKey',
      query: z.object({
        email: oneLine()
          .trim()
          .pipe(z.email({ error: 'must be an e-mail address' })),
      }),
      responses: { 200: { description: 'The flags for this address', schema: SubjectStatus } },
    },
    async ({ query, request }) => {
      await requireApiKey(request, deps.apiKeys);
      const flags = await deps.requests.flags(subjectRef(deps.secret, query.email));
      const restricted = !!flags?.restricted;
      const objection = !!flags?.objection;
      return {
        restricted,
        objection,
        contactAllowed: !restricted && !objection && (await deps.contactAllowedFor(query.email)),
      };
    },
  );
}
