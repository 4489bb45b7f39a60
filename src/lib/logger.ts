import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Keys whose values are personal data or secrets. pino's redaction works on paths,
 * so each key is listed at the depths where our log objects carry them.
 */
const SENSITIVE_KEYS = [
  'email',
  'name',
  'firstName',
  'lastName',
  'first_name',
  'last_name',
  'fullName',
  'address',
  'street',
  'phone',
  'postalCode',
  'postal_code',
  'iban',
  'token',
  'password',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  'set-cookie',
  'corrections',
];

export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `["${k}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`, `*.*.*${dot}${key}`];
});

/** Strips what could identify a person from a URL before it is logged: query strings and token segments. */
export function scrubUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  const scrubbed = path
    .split('/')
    .map((seg) => (seg.length >= 20 && /^[A-Za-z0-9_-]+$/.test(seg) && !/^[a-z-]+$/.test(seg) ? ':token' : seg))
    .join('/');
  return url.includes('?') ? `${scrubbed}?…` : scrubbed;
}

export interface LoggerOptions {
  level?: string;
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
  /**
   * `json` (one object a line, for a log collector), `pretty` (a readable line), or `auto`: readable when
   * writing to a terminal, JSON otherwise. INZAGE_LOG_FORMAT when not given.
   */
  format?: 'json' | 'pretty' | 'auto';
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** One pino JSON line as `12:04:05 WARN  message key=value …` (after redaction: pino serialised it). */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(typeof o.time === 'number' ? o.time : Date.now()).toISOString().slice(11, 19);
  const level = (LEVELS[Number(o.level)] ?? String(o.level)).padEnd(5);
  const rest = Object.entries(o)
    .filter(([k]) => !OMITTED.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level} ${o.msg ?? ''}${rest ? ` ${rest}` : ''}`;
}

/** A stream that turns pino's lines into readable ones (no pino-pretty: a terminal needs little). */
function prettyStream(out: NodeJS.WritableStream): { write(chunk: string): boolean } {
  return {
    write: (chunk: string) => out.write(`${chunk.split('\n').filter(Boolean).map(prettyLine).join('\n')}\n`),
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          url: scrubUrl(req.url ?? ''),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error & { code?: string }) => ({
          type: err.name,
          code: err.code,
          message: scrubMessage(err.message),
        }),
      },
    },
    destinationFor(options),
  );
}

function destinationFor(options: LoggerOptions): NodeJS.WritableStream | { write(chunk: string): boolean } {
  const out = options.destination ?? process.stdout;
  const format = options.format ?? process.env.INZAGE_LOG_FORMAT ?? 'auto';
  const tty = (out as { isTTY?: boolean }).isTTY === true;
  return format === 'pretty' || (format === 'auto' && tty) ? prettyStream(out) : out;
}

/** Something that looks like an e-mail address inside a text (a message, a reason, an audit detail). */
export const EMAIL_IN_TEXT = /[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/;
const EMAILS_IN_TEXT = new RegExp(EMAIL_IN_TEXT.source, 'g');

/** Error messages can quote input; drop anything that looks like an e-mail address. */
export function scrubMessage(message: string): string {
  return message.replace(EMAILS_IN_TEXT, '[e-mail]');
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
