import { z } from 'zod';
import { bearerAuth, type ProcessorApiFactory } from '../api/processor-api.ts';

export const Options = z.strictObject({
  /** Customers per page while searching; Mollie allows at most 250. */
  pageSize: z.number().int().min(1).max(250).default(250),
});

export const mollie: ProcessorApiFactory = {
  connector: 'mollie',
  name: 'Mollie',
  defaultUrl: 'https://api.mollie.com',
  credentials: ['apiKey'],
  optionsSchema: Options,
  auth: bearerAuth('apiKey'),
  idempotencyHeader: 'Idempotency-Key',
  capabilities: { access: true, erase: true, rectify: true, restrict: false },
  load: () => import('./mollie.api.ts').then((m) => m.create),
};
