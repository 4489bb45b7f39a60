import { z } from 'zod';
import type { ProcessorApiFactory } from '../api/processor-api.ts';
import { googleTokens } from './google-token.ts';

export const Options = z.strictObject({
  /** How the shop derives the Analytics user id from the e-mail address, if it sends one. */
  userIdFromEmail: z.enum(['none', 'sha256']).default('none'),
});
export type Options = z.output<typeof Options>;

/** The fetch auth() was given, for the implementation of the same system (both get the same credentials object). */
export const signIns = new WeakMap<object, typeof fetch>();

export const googleAnalytics: ProcessorApiFactory = {
  connector: 'google-analytics',
  name: 'Google Analytics',
  defaultUrl: 'https://analyticsadmin.googleapis.com',
  credentials: ['propertyId', 'accessToken'],
  optionsSchema: Options,
  auth(ctx) {
    signIns.set(ctx.credentials, ctx.fetch);
    return async () => ({
      authorization: `Bearer ${await googleTokens.get(ctx.credentials.accessToken ?? '', ctx.fetch, ctx.clock, 'google-analytics')}`,
    });
  },
  capabilities: { access: false, erase: true, rectify: false, restrict: false },
  load: () => import('./google-analytics.api.ts').then((m) => m.create),
};
