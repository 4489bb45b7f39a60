import { z } from 'zod';
import type { ApiRouteSpec } from './api-route.ts';
import { ErrorBody } from './api-route.ts';

const toSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' });

/** Builds the OpenAPI 3 document from the registered route specs. */
export function buildOpenApiDocument(routes: ReadonlyArray<ApiRouteSpec>, info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [...objectParameters(r.query, 'query'), ...objectParameters(r.params, 'path')];
    const responses: Record<string, unknown> = {};
    for (const [status, res] of Object.entries(r.responses)) {
      const type = res.contentType ?? 'application/json';
      responses[status] = {
        description: res.description,
        ...(res.schema ? { content: { [type]: { schema: toSchema(res.schema, 'output') } } } : {}),
      };
    }
    if (r.body || r.query || r.params) {
      responses['400'] ??= {
        description: 'Invalid input; `error.field` names the field',
        content: { 'application/json': { schema: toSchema(ErrorBody, 'output') } },
      };
    }
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } } }
        : {}),
      ...(r.auth === 'apiKey' ? { security: [{ apiKey: [] }] } : {}),
      ...(r.auth === 'shopifyHmac' ? { security: [{ shopifyHmac: [] }] } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { ...info, description: 'Inzage REST API. Errors have the shape {error: {code, message, field?}}.' },
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `inzage apikey create`' },
        shopifyHmac: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Shopify-Hmac-Sha256',
          description:
            "Base64 of HMAC-SHA256 over the raw body, keyed with the Shopify app's client secret (SHOPIFY_API_SECRET)",
        },
      },
    },
  };
}

function objectParameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
    ...((s as { description?: string }).description
      ? { description: (s as { description?: string }).description }
      : {}),
  }));
}
