import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildRegister, registerToCsv, registerToJson } from '../../policy/register.ts';
import type { AppDeps } from '../app.ts';
import type { ApiRegistry } from './api-route.ts';

const LangQuery = z.object({
  lang: z.enum(['nl', 'en']).default('nl').meta({ description: 'Language of texts in the CSV' }),
  format: z.enum(['json', 'csv']).default('json').meta({ description: 'json or csv' }),
});

/** The policy as data, and the Art. 30 record derived from it. */
export function registerPolicyApiRoutes(app: FastifyInstance, api: ApiRegistry, deps: AppDeps): void {
  api.add(
    app,
    {
      method: 'GET',
      url: '/api/v1/policy',
      summary: 'The privacy policy in force, as structured data',
      tags: ['policy'],
      responses: { 200: { description: 'The policy file as JSON' } },
    },
    async () => deps.policy(),
  );
  api.add(
    app,
    {
      method: 'GET',
      url: '/api/v1/policy/register',
      summary: 'The GDPR Art. 30 record of processing activities',
      tags: ['policy'],
      query: LangQuery,
      responses: {
        200: { description: 'The record as JSON, or CSV with `format=csv`' },
      },
    },
    async ({ query, reply }) => {
      const record = buildRegister(deps.policy());
      if (query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="verwerkingsregister.csv"')
          .send(registerToCsv(record, query.lang));
      }
      return reply.type('application/json; charset=utf-8').send(registerToJson(record));
    },
  );
}
