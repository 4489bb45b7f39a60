import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiKeys } from '../../apikeys/api-keys.ts';
import type { ContactConsentService } from '../../consent/contact-consent.service.ts';
import { NewContactConsent } from '../../consent/contact-consent.types.ts';
import type { ApiRegistry } from './api-route.ts';
import { requireApiKey } from './requests.routes.ts';

export interface ContactConsentApiDeps {
  contactConsents: ContactConsentService;
  apiKeys: ApiKeys;
}

const Recorded = z
  .object({
    id: z.string(),
    purpose: z.string(),
    granted: z.boolean(),
    at: z.string().meta({ description: 'When the person chose (UTC)' }),
  })
  .meta({ id: 'ContactConsentRecorded' });

/** The shop reports each choice about contact, with the exact text it showed: the proof of consent. */
export function registerContactConsentRoutes(
  app: FastifyInstance,
  api: ApiRegistry,
  deps: ContactConsentApiDeps,
): void {
  api.add(
    app,
    {
      method: 'POST',
      url: '/api/v1/subjects/consents',
      summary: 'Record a consent for contact, or its withdrawal, with proof',
      description:
        'Append-only: a withdrawal (granted: false) is a new record and the newest record per purpose counts. ' +
        'The purpose must be a purpose of the policy whose legal basis is consent (not a cookie purpose).',
      tags: ['shop'],
      auth: 'apiKey',
      body: NewContactConsent,
      responses: {
        201: { description: 'Recorded', schema: Recorded },
        400: { description: 'Invalid input; `field` names it (an unknown purpose: `purpose`)' },
        401: { description: 'No valid API key' },
      },
    },
    async ({ body, request, reply }) => {
      await requireApiKey(request, deps.apiKeys);
      return reply.status(201).send(await deps.contactConsents.record(body));
    },
  );
}
