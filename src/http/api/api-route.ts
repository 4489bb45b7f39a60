import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatPath } from '../../config/yaml-file.ts';
import { validationFailed } from '../../lib/errors.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A per-client limit; routes with the same `groupId` share one count per client. */
export interface RouteRateLimit {
  max: number;
  timeWindow: string;
  groupId?: string;
}

export interface ApiResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

/**
 * One API route: its documentation and its validation come from the same zod
 * schemas, so the OpenAPI document cannot drift from what the route accepts.
 */
export interface ApiRouteSpec<
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  method: Method;
  url: string;
  summary: string;
  description?: string;
  tags: string[];
  query?: Q;
  body?: B;
  params?: P;
  /** How the caller authenticates; none means public. `shopifyHmac`: Shopify's signature of the raw body. */
  auth?: 'apiKey' | 'session' | 'shopifyHmac';
  /**
   * The handler gets the body as raw bytes (`request.body` is a Buffer, from a parser its plugin installs) and
   * checks it itself, after what must come first (a signature over those bytes); `body` then only documents it.
   */
  rawBody?: boolean;
  /**
   * Per-client limit (through @fastify/rate-limit, counted in the hub's database), e.g.
   * `{ max: 20, timeWindow: '1 minute' }`; routes with the same `groupId` share one count.
   */
  rateLimit?: RouteRateLimit;
  /** The largest body this route takes, in bytes (413 above it); the app's 1 MiB otherwise. */
  bodyLimit?: number;
  responses: Record<number, ApiResponseSpec>;
}

export interface ApiInput<Q, B, P> {
  query: Q;
  body: B;
  params: P;
  request: FastifyRequest;
  reply: FastifyReply;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Parses input with a schema; the first problem becomes a 400 naming its field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params',
): z.output<S> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? formatPath(issue.path) : where;
  const what =
    issue?.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'is required' : issue?.message;
  throw validationFailed(`${field}: ${what ?? 'is invalid'}`, field);
}

/** Keeps the specs of every API route for the OpenAPI document. */
export class ApiRegistry {
  readonly routes: ApiRouteSpec[] = [];

  add<Q extends z.ZodType, B extends z.ZodType, P extends z.ZodType>(
    app: FastifyInstance,
    spec: ApiRouteSpec<Q, B, P>,
    handler: (input: ApiInput<Out<Q>, Out<B>, Out<P>>) => Promise<unknown>,
  ): void {
    this.routes.push(spec as unknown as ApiRouteSpec);
    app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.rateLimit ? { config: { rateLimit: spec.rateLimit } } : {}),
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      handler: async (request, reply) => {
        const query = spec.query ? parseInput(spec.query, request.query, 'query') : undefined;
        const params = spec.params ? parseInput(spec.params, request.params, 'params') : undefined;
        const body = spec.body && !spec.rawBody ? parseInput(spec.body, request.body, 'body') : undefined;
        return handler({
          query: query as Out<Q>,
          body: body as Out<B>,
          params: params as Out<P>,
          request,
          reply,
        });
      },
    });
  }
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable error code, see docs/errors.md' }),
      message: z.string(),
      field: z.string().optional().meta({ description: 'The input field at fault, for validation errors' }),
    }),
  })
  .meta({ id: 'Error' });
