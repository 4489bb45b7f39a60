import assert from 'node:assert/strict';
import { SANNE, TABLE_NAMES } from '../../src/demo/demo-shop.ts';

/** What must not be left of Sanne after her erasure: her address (any case), name, phone and street. */
export const SANNE_TRACES = [SANNE.email, SANNE.fullName, SANNE.phone, SANNE.street].map((s) => s.toLowerCase());

/** Asserts that no text column of any demo shop table holds a trace of Sanne. */
export async function assertNoTraceOfSanne(
  rowsOf: (table: string) => Promise<Record<string, unknown>[]> | Record<string, unknown>[],
) {
  for (const table of TABLE_NAMES) {
    for (const row of await rowsOf(table)) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        const v = value.toLowerCase();
        for (const trace of SANNE_TRACES) assert.ok(!v.includes(trace), `${table}.${column} still holds "${trace}"`);
      }
    }
  }
}
