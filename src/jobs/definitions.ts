import type { JobDefinition } from './worker.ts';

/** Every job the worker knows. Capabilities add theirs here. */
export function jobDefinitions(): JobDefinition[] {
  return [];
}
