import { z } from 'zod';
import { DataMap } from './datamap.schema.ts';

/**
 * datamap.yaml's shape as JSON Schema (docs/datamap.schema.json), for editors that check YAML against one
 * (`# yaml-language-server: $schema=…`). Made from the zod schema the loader uses, so the two cannot part;
 * a test keeps the file in step.
 */
export function dataMapJsonSchema(): string {
  const schema = z.toJSONSchema(DataMap, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Inzage data map (datamap.yaml)' }, null, 2)}\n`;
}
