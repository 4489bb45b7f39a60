import { z } from 'zod';
import type { ProcessorApiFactory } from '../api/processor-api.ts';

export const Options = z.strictObject({
  /** Items per page; WebwinkelKeur's own client asks 100. */
  pageSize: z.number().int().min(1).max(100).default(100),
});

export const webwinkelkeur: ProcessorApiFactory = {
  connector: 'webwinkelkeur',
  name: 'WebwinkelKeur',
  defaultUrl: 'https://dashboard.webwinkelkeur.nl',
  credentials: ['shopId', 'apiKey'],
  optionsSchema: Options,
  // The credentials travel as query parameters (`id`, `code`), added per request.
  auth: () => async () => ({}),
  capabilities: { access: true, erase: true, rectify: false, restrict: false },
  load: () => import('./webwinkelkeur.api.ts').then((m) => m.create),
};
