import { z } from 'zod';
import type { ProcessorApiFactory, ProcessorAuthContext } from '../api/processor-api.ts';
import { type GraphAppCredentials, graphTokens } from './graph-token.ts';

export const GraphOptions = z.strictObject({
  /** The mailbox: its address or user id, e.g. klantenservice@balkonzon.nl. */
  mailbox: z.string().trim().min(1, { error: 'must name the mailbox (its address or user id)' }),
  /** The Microsoft identity platform; by default the one of Graph's cloud (see `loginUrlFor`). */
  loginUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * `search`: Graph's `$search="participants:…"` (fast; capped by Graph at 1,000 results, beyond
   * which the whole mailbox is scanned). `scan`: page through every message and match here.
   */
  lookup: z.enum(['search', 'scan']).default('search'),
  /** Include each message as `.eml` text in an access answer. */
  includeEml: z.boolean().default(true),
  /** Messages larger than this are listed without their `.eml` (the export stays mailable). */
  maxEmlBytes: z.number().int().positive().default(1_000_000),
  /** Messages per page; Graph allows up to 1,000. */
  pageSize: z.number().int().min(1).max(1000).default(100),
});
export type GraphOptions = z.output<typeof GraphOptions>;

export const DEFAULT_URL = 'https://graph.microsoft.com';

export function appCredentials(credentials: Record<string, string>, loginUrl: string): GraphAppCredentials {
  return {
    tenantId: credentials.tenantId ?? '',
    clientId: credentials.clientId ?? '',
    clientSecret: credentials.clientSecret ?? '',
    loginUrl,
  };
}

/** Graph's clouds and their sign-in hosts. */
const LOGIN_HOSTS: Record<string, string> = {
  'graph.microsoft.com': 'https://login.microsoftonline.com',
  'graph.microsoft.us': 'https://login.microsoftonline.us',
  'dod-graph.microsoft.us': 'https://login.microsoftonline.us',
  'microsoftgraph.chinacloudapi.cn': 'https://login.chinacloudapi.cn',
};

/**
 * Where the app signs in: the `loginUrl` option, else the sign-in host of Graph's cloud; any other
 * Graph URL (a local stand-in, as in tests and the benchmark) serves the token endpoint itself.
 */
export function loginUrlFor(graphUrl: string, option: string | undefined): string {
  if (option) return option;
  const url = new URL(graphUrl);
  return LOGIN_HOSTS[url.hostname] ?? url.origin;
}

/**
 * How auth() signs in, for the implementation of the same system: both get the same resolved credentials object,
 * and the API context carries no base URL. The app's token is fetched before any Graph request, so that
 * refused credentials read as such instead of being retried as a network error by the HTTP client.
 */
export const signIns = new WeakMap<object, { app: GraphAppCredentials; fetch: typeof fetch }>();

export const microsoftGraph: ProcessorApiFactory = {
  connector: 'microsoft-graph',
  name: 'Microsoft 365 mail (Graph)',
  defaultUrl: DEFAULT_URL,
  credentials: ['tenantId', 'clientId', 'clientSecret'],
  optionsSchema: GraphOptions,
  auth(ctx: ProcessorAuthContext) {
    const app = appCredentials(ctx.credentials, loginUrlFor(ctx.baseUrl, GraphOptions.parse(ctx.options).loginUrl));
    signIns.set(ctx.credentials, { app, fetch: ctx.fetch });
    return async () => {
      const token = await graphTokens.get(app, ctx.fetch, ctx.clock, 'microsoft-graph');
      return { authorization: `Bearer ${token.accessToken}` };
    };
  },
  capabilities: { access: true, erase: true, rectify: false, restrict: false },
  load: () => import('./microsoft-graph.api.ts').then((m) => m.create),
};
