import type { FastifyInstance } from 'fastify';
import { renderPolicy } from '../../policy/render.ts';
import type { AppDeps } from '../app.ts';
import { negotiateLang } from '../lang.ts';

/** The public policy; the home page and the request pages are in requests.routes.tsx. */
export function registerPolicyPageRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/privacy', async (request, reply) => {
    const lang = negotiateLang((request.query as { lang?: string }).lang, request.headers['accept-language']);
    // The published version in force; the policy file itself until a version is recorded.
    const policy = (await deps.registers.policyVersions.inForce())?.policy ?? deps.policy();
    return reply
      .type('text/html; charset=utf-8')
      .header('vary', 'Accept-Language')
      .header('content-language', lang)
      .send(renderPolicy(policy, { lang, format: 'html' }));
  });
}
