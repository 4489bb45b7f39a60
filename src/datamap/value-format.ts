import type { ValueFormat } from './datamap.schema.ts';

/**
 * Reading a person out of a value that holds more than them: a PHP-serialized array (WooCommerce's
 * session, WordPress's session tokens), JSON, or a composite string of words (WooCommerce's
 * `_billing_address_index`). An address is found in such a value only as a whole string or word of it,
 * trimmed and lower-cased, never as a part of one: `jan@example.nl` is not in `marijan@example.nl`.
 */

const normalize = (s: string) => s.trim().toLowerCase();

/** The strings a value holds, normalised: the candidates an address is compared with. */
export function stringsIn(value: string, format: ValueFormat): string[] {
  switch (format) {
    case 'plain':
      return [normalize(value)];
    case 'serialized':
      return serializedStrings(value, 0).map(normalize);
    case 'json':
      return jsonStrings(value).map(normalize);
    case 'composite':
      return words(value);
  }
}

/** Whether the value holds this (normalised) address as one of its strings. */
export function holdsAddress(value: string, format: ValueFormat, address: string): boolean {
  return stringsIn(value, format).includes(address);
}

/**
 * The LIKE patterns (for `ESCAPE '!'`, lower-case) that a value holding the address matches: the
 * database narrows the rows with them, and `holdsAddress` decides. JSON may escape `/` and characters
 * beyond ASCII (PHP's json_encode does), so it gets that spelling too.
 */
export function containmentPatterns(address: string, format: ValueFormat): string[] {
  const literal = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  const patterns = [literal(address)];
  if (format === 'json') {
    const escaped = address.replace(/[/\u0080-\uffff]/g, (c) =>
      c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    if (escaped !== address) patterns.push(literal(escaped));
  }
  return patterns;
}

/** Whether a value looks PHP-serialized: an array, an object or a string in serialize()'s notation. */
export function looksSerialized(value: string): boolean {
  const v = value.trim();
  return /^(?:a:\d+:\{[\s\S]*\}|O:\d+:"[^"]*":\d+:\{[\s\S]*\}|s:\d+:"[\s\S]*";)$/.test(v);
}

/** Words of a composite string: split at white space and at characters no address can hold unquoted. */
function words(value: string): string[] {
  return value
    .split(/[\s(),;:<>[\]"\\]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

function jsonStrings(value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Not JSON after all (a shop may store text in such a column): its words still count.
    return words(value);
  }
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const item of v) walk(item);
    else if (v !== null && typeof v === 'object') for (const item of Object.values(v)) walk(item);
  };
  walk(parsed);
  return out;
}

/**
 * The strings of a PHP-serialized value (`s:<bytes>:"…";`), and those of a serialized value inside one
 * (WooCommerce serializes the customer array into the session's array). The length counts UTF-8 bytes;
 * where it does not fit (a value stored in another character set), the string runs to the next `";`.
 */
function serializedStrings(value: string, depth: number): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  const header = /s:(\d+):"/g;
  // Byte offsets are counted on from the last string read, so a long value is read in one pass.
  let charAt = 0;
  let byteAt = 0;
  let match: RegExpExecArray | null = header.exec(value);
  while (match) {
    const startChar = match.index + match[0].length;
    const start = byteAt + Buffer.byteLength(value.slice(charAt, startChar), 'utf8');
    charAt = startChar;
    byteAt = start;
    const length = Number(match[1]);
    let text: string;
    let endChar: number;
    if (bytes[start + length] === 0x22 && bytes[start + length + 1] === 0x3b) {
      text = bytes.subarray(start, start + length).toString('utf8');
      endChar = startChar + text.length + 2;
    } else {
      const close = value.indexOf('";', startChar);
      endChar = close < 0 ? value.length : close + 2;
      text = value.slice(startChar, close < 0 ? value.length : close);
    }
    out.push(text);
    if (depth < 3 && looksSerialized(text)) out.push(...serializedStrings(text, depth + 1));
    header.lastIndex = endChar;
    match = header.exec(value);
  }
  return out;
}
