import { z } from 'zod';
import type { ProcessorApiFactory } from '../api/processor-api.ts';

export const Options = z.strictObject({
  /** Orders per page (the API allows at most 100). */
  pageSize: z.number().int().min(1).max(100).default(100),
});

export const myOnlineStore: ProcessorApiFactory = {
  connector: 'myonlinestore',
  name: 'MyOnlineStore',
  defaultUrl: 'https://api.myonlinestore.com',
  credentials: ['apiKey'],
  optionsSchema: Options,
  // The store token goes in the query string (the API's StoreToken scheme), added per request.
  auth: () => async () => ({}),
  capabilities: { access: true, erase: true, rectify: true, restrict: false },
  load: () => import('./myonlinestore.api.ts').then((m) => m.create),
};
