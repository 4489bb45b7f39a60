import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dataMapJsonSchema } from './datamap-json-schema.ts';

const FILE = new URL('../../docs/datamap.schema.json', import.meta.url);

describe('the data map as JSON Schema', () => {
  it('is the one in docs/datamap.schema.json (INZAGE_WRITE_SCHEMA=1 writes it)', () => {
    const made = dataMapJsonSchema();
    if (process.env.INZAGE_WRITE_SCHEMA === '1') writeFileSync(FILE, made);
    assert.equal(readFileSync(FILE, 'utf8'), made);
  });

  it('names the new shapes: meta tables, row filters, formats and the table prefix', () => {
    const text = dataMapJsonSchema();
    for (const word of ['"meta"', '"where"', '"tablePrefix"', '"serialized"', '"composite"', '"owner"'])
      assert.ok(text.includes(word), word);
  });
});
