import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiKeys } from '../../apikeys/api-keys.ts';
import type { Clock } from '../../lib/clock.ts';
import { emailAddress } from '../../lib/email-address.ts';
import { validationFailed } from '../../lib/errors.ts';
import { oneLine } from '../../lib/text-input.ts';
import type { AnalyticsIds } from '../../requests/analytics-ids.ts';
import { type IntakeService, subjectRef } from '../../requests/intake.service.ts';
import { ACCOUNT_CLOSED, type ActivityIndex } from '../../retention/activity.ts';
import type { ApiRegistry } from './api-route.ts';
import { requireApiKey } from './requests.routes.ts';

export interface EventApiDeps {
  intake: IntakeService;
  activity: ActivityIndex;
  analyticsIds: AnalyticsIds;
  apiKeys: ApiKeys;
  clock: Clock;
  secret: string;
}

const ShopEvent = z.object({
  email: oneLine()
    .trim()
    .max(254)
    .pipe(emailAddress({ error: 'must be an e-mail address' })),
  type: oneLine()
    .regex(/^[a-z][a-z0-9._-]{0,63}$/, {
      error: 'must be a lower-case event name such as order, login, contact or account.closed',
    })
    .meta({
      description: 'order, login, contact, … ; account.closed starts an erasure (the policy: a forget request)',
    }),
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .optional()
    .meta({ description: 'When it happened; now if left out' }),
  language: z.enum(['nl', 'en']).default('nl'),
  analytics: z
    .strictObject({
      clientId: z
        .string()
        .regex(/^\d{1,20}\.\d{1,20}$/, {
          error: 'must be a Google Analytics client id such as 1234567890.1712345678 (the _ga cookie without GA1.1.)',
        })
        .optional()
        .meta({
          description:
            "The visitor's Google Analytics client id, e.g. `1234567890.1712345678`: the `_ga` cookie `GA1.1.1234567890.1712345678` without its `GA1.1.`",
        }),
      userId: oneLine()
        .max(256, { error: 'must be at most 256 characters' })
        // Printable: no control or format characters; and not only spaces.
        .regex(/^(?!\s*$)[^\p{C}]+$/u, { error: 'must be printable text' })
        .optional()
        .meta({ description: 'The user id the shop sends Google Analytics for this person (at most 256 characters)' }),
    })
    .optional()
    .meta({
      description:
        'Google Analytics ids of the person, kept encrypted so that an erasure can ask Analytics to delete their data',
    }),
});

const Recorded = z
  .object({
    recorded: z.literal(true),
    requestId: z.string().optional().meta({ description: 'For account.closed: the erasure request' }),
  })
  .meta({ id: 'EventRecorded' });

/** The shop reports contact moments and transactions; they keep a person's data from retention's sweep. */
export function registerEventRoutes(app: FastifyInstance, api: ApiRegistry, deps: EventApiDeps): void {
  api.add(
    app,
    {
      method: 'POST',
      url: '/api/v1/events',
      summary: 'Report a contact moment or transaction (order, login, contact, account.closed)',
      tags: ['shop'],
      auth: 'apiKey',
      body: ShopEvent,
      responses: { 202: { description: 'Recorded', schema: Recorded } },
    },
    async ({ body, request, reply }) => {
      await requireApiKey(request, deps.apiKeys);
      const now = deps.clock.now();
      const at = body.at ? new Date(body.at) : now;
      if (at.getTime() > now.getTime() + 24 * 3600 * 1000) throw validationFailed('at: lies in the future', 'at');
      const ref = subjectRef(deps.secret, body.email);
      // Before a closure starts: its erasure asks Analytics to delete these ids too.
      if (body.analytics) await deps.analyticsIds.remember(deps.analyticsIds.db, ref, body.analytics);
      if (body.type === ACCOUNT_CLOSED) {
        const { id } = await deps.intake.closeAccountFromShop(body.email, body.language);
        return reply.status(202).send({ recorded: true, requestId: id });
      }
      await deps.activity.record(ref, body.type, at.toISOString());
      return reply.status(202).send({ recorded: true });
    },
  );
}
