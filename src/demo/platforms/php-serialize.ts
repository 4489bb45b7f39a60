/** PHP's serialize() of what WordPress and WooCommerce store: strings, numbers, booleans and arrays. */
export type PhpValue = string | number | boolean | null | PhpValue[] | { [key: string]: PhpValue };

export function phpSerialize(value: PhpValue): string {
  if (value === null) return 'N;';
  if (typeof value === 'boolean') return `b:${value ? 1 : 0};`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  // Lengths in bytes: a multi-byte letter (zoë) counts twice, which is why such values are never edited in place.
  if (typeof value === 'string') return `s:${Buffer.byteLength(value)}:"${value}";`;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  const body = entries
    .map(([k, v]) => (typeof k === 'number' ? `i:${k};` : phpSerialize(k)) + phpSerialize(v))
    .join('');
  return `a:${entries.length}:{${body}}`;
}
