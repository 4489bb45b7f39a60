import { z } from 'zod';
import { bearerAuth, type ProcessorApiFactory } from '../api/processor-api.ts';

export const Options = z.strictObject({
  /** The administration (the number in a MoneyBird URL after moneybird.com/). */
  administrationId: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(/^\d+$/, { error: 'must be the administration number' })),
});

export const moneybird: ProcessorApiFactory = {
  connector: 'moneybird',
  name: 'MoneyBird',
  defaultUrl: 'https://moneybird.com/api',
  credentials: ['token'],
  optionsSchema: Options,
  auth: bearerAuth('token'),
  // MoneyBird's limit for every token: 150 requests per 5 minutes.
  rateLimit: { requests: 150, perMs: 300_000 },
  capabilities: { access: true, erase: true, rectify: true, restrict: false },
  load: () => import('./moneybird.api.ts').then((m) => m.create),
};
