import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode, InzageError } from '../lib/errors.ts';
import { renderErrorPage } from './portal/error-page.tsx';

const isApi = (req: FastifyRequest) => req.url.startsWith('/api/');

/** Maps anything thrown to a stable code: ours as they are, Fastify's by status, the rest as INTERNAL. */
export function toInzageError(err: unknown): InzageError {
  if (err instanceof InzageError) return err;
  const fe = err as Partial<FastifyError>;
  const status = fe.statusCode ?? 500;
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'VALIDATION_FAILED',
    404: 'NOT_FOUND',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMITED',
  };
  const code = byStatus[status];
  if (!code) return new InzageError('INTERNAL', 'Something went wrong on our side.', { cause: err });
  const message =
    fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fe.message ?? '')
      ? 'The request body is not valid JSON.'
      : code === 'VALIDATION_FAILED'
        ? (fe.message ?? 'Invalid input.')
        : ERROR_CODES[code].description;
  return new InzageError(code, message, { field: code === 'VALIDATION_FAILED' ? 'body' : undefined });
}

export function sendError(err: InzageError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isApi(request) || !request.headers.accept?.includes('text/html')) {
    return reply
      .status(err.status)
      .type('application/json; charset=utf-8')
      .send({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
  }
  return reply.status(err.status).type('text/html; charset=utf-8').send(renderErrorPage(err, request));
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const err = toInzageError(error);
    if (err.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: err.code }, 'request rejected');
    return sendError(err, request, reply);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(new InzageError('NOT_FOUND', 'There is nothing at this address.'), request, reply),
  );
}
