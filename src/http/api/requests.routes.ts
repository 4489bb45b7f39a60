import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiKeys } from '../../apikeys/api-keys.ts';
import { emailAddress } from '../../lib/email-address.ts';
import { InzageError } from '../../lib/errors.ts';
import { oneLine } from '../../lib/text-input.ts';
import { isDirectMarketing } from '../../policy/objections.ts';
import type { Policy } from '../../policy/policy.schema.ts';
import type { HandlingService } from '../../requests/handling.service.ts';
import type { IntakeService } from '../../requests/intake.service.ts';
import { subjectRef } from '../../requests/intake.service.ts';
import { NewRequest } from '../../requests/request.types.ts';
import type { ApiRegistry, RouteRateLimit } from './api-route.ts';

export interface RequestApiDeps {
  intake: IntakeService;
  /** The person's restriction and objections (src/requests/subject-flags.ts). */
  handling: Pick<HandlingService, 'subjectStatus'>;
  policy: () => Policy;
  /** Whether the newest consent for later contact is a grant (the contact-consent capability). */
  contactAllowedFor: (email: string) => Promise<boolean>;
  /** The person's newest consent choice per purpose. */
  consentsOf: (email: string) => Promise<Record<string, { granted: boolean } | undefined>>;
  apiKeys: ApiKeys;
  secret: string;
}

/**
 * Per client (IP address): enough for a family behind one router, too few to probe or flood. One count
 * for the request form, the request API and the consent withdrawal form together.
 */
export const INTAKE_RATE_LIMIT: RouteRateLimit = { max: 20, timeWindow: '1 minute', groupId: 'intake' };

const Accepted = z
  .object({
    id: z.string().meta({
      description:
        'A receipt: the new request’s id, or a fresh id when the post joined a request already open for the address (never that request’s id)',
    }),
    status: z.string().meta({ description: 'Always `awaiting_verification`, whatever exists for the address' }),
  })
  .meta({ id: 'RequestAccepted' });
const SubjectStatus = z
  .object({
    restricted: z.boolean().meta({ description: 'Processing is restricted: do not use the data except to store it' }),
    objection: z.boolean().meta({ description: 'An objection is pending or upheld: stop the processing objected to' }),
    objections: z.array(z.string()).meta({
      description: 'Ids of the policy purposes for which processing stopped for good after an objection (Art. 21)',
    }),
    contactAllowed: z.boolean().meta({
      description:
        'True only when not restricted, no objection to direct marketing, and the newest consent for later contact is a grant',
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
        'The answer is the same for every address and says nothing about requests that exist. A second request of a type open for the address joins the open one; the verification e-mails one address gets are bounded (5 an hour, a link again at most once per 15 minutes), and no post is refused for what others posted for the address.',
      tags: ['requests'],
      body: NewRequest,
      rateLimit: INTAKE_RATE_LIMIT,
      responses: {
        202: { description: 'Accepted; the person confirms through the link in the e-mail', schema: Accepted },
        429: { description: 'Too many requests from this client (20 a minute, with the request form)' },
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
          .pipe(emailAddress({ error: 'must be an e-mail address' })),
      }),
      responses: { 200: { description: 'The flags for this address', schema: SubjectStatus } },
    },
    async ({ query, request }) => {
      await requireApiKey(request, deps.apiKeys);
      const status = await deps.handling.subjectStatus(subjectRef(deps.secret, query.email));
      // Art. 21(3): an objection to direct marketing holds until the person consents again, after it.
      const consents = await deps.consentsOf(query.email);
      const objections = status.objections.filter(
        (p) => !(isDirectMarketing(deps.policy(), p) && consents[p]?.granted === true),
      );
      return {
        restricted: status.restricted,
        objection: status.objection && (objections.length > 0 || status.restricted),
        objections,
        contactAllowed: !status.restricted && (await deps.contactAllowedFor(query.email)),
      };
    },
  );
}
