/**
 * One small hierarchy of domain errors. Each has a stable code (documented in
 * docs/errors.md, kept in sync by a test) and an HTTP status hint that only the
 * HTTP layer reads; services never throw HTTP errors themselves.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    description: 'The input does not match the schema; `field` names the first field at fault.',
  },
  NOT_FOUND: { status: 404, description: 'No route or resource at this address.' },
  UNAUTHORIZED: { status: 401, description: 'A session or API key is required.' },
  FORBIDDEN: { status: 403, description: 'The caller may not do this.' },
  CONFLICT: { status: 409, description: 'The resource is not in a state that allows this.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request body is larger than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The request body has a content type this route does not take.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests; try again later.' },
  NOT_CONFIGURED: {
    status: 503,
    description: 'This route needs a setting the server does not have (e.g. SHOPIFY_API_SECRET for Shopify webhooks).',
  },
  CONFIG_INVALID: {
    status: 500,
    description: 'The configuration (environment, policy.yaml, datamap.yaml) is invalid.',
  },
  POLICY_INVALID: { status: 422, description: 'The policy file does not match the policy schema.' },
  SCAN_FAILED: { status: 502, description: "A cookie scan could load none of the shop's pages." },
  JOB_UNKNOWN: { status: 500, description: 'A job names a handler that is not registered.' },
  INTERNAL: { status: 500, description: 'An unexpected error; details are in the server log, without personal data.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class InzageError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { field?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'InzageError';
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export const validationFailed = (message: string, field?: string) =>
  new InzageError('VALIDATION_FAILED', message, { field });
export const notFound = (message: string) => new InzageError('NOT_FOUND', message);
export const conflict = (message: string) => new InzageError('CONFLICT', message);
