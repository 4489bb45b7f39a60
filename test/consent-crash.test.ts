import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { loadExamplePolicy } from './helpers/app.ts';
import { spawnServe } from './helpers/serve.ts';

/** One POST on a connection of its own; resolves with the status, or 0 when the server went away. */
function postProof(base: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      `${base}/api/v1/consents`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * The consent route commits proofs in groups (issue 18): a proof answered 201 must be in the store even
 * when the process is killed (SIGKILL, no cleanup) with other proofs still in flight.
 */
describe('banner proofs and a crash', () => {
  it('keeps every proof it answered 201 for when the server is killed mid-burst', async () => {
    const serve = await spawnServe({ INZAGE_CONSENTS_PER_MINUTE: '100000' });
    try {
      assert.ok(await serve.running(), serve.err());
      const version = loadExamplePolicy().version;
      const acked: string[] = [];
      let killed = false;
      const burst = Array.from({ length: 600 }, async (_, i) => {
        // Spread out a little, so that the kill lands among proofs being written.
        await new Promise((r) => setTimeout(r, i % 60));
        const consentId = randomUUID();
        const body = JSON.stringify({
          consentId,
          choices: { necessary: true, analytics: i % 2 === 0 },
          policyVersion: version,
          gpc: false,
        });
        const status = await postProof(serve.base, body);
        if (status === 201) {
          acked.push(consentId);
          if (acked.length === 50 && !killed) {
            killed = true;
            serve.child.kill('SIGKILL');
          }
        }
        return status;
      });
      const statuses = await Promise.all(burst);
      assert.ok(killed, `the server was killed (answers: ${statuses.filter((s) => s === 201).length} × 201)`);
      assert.ok(
        statuses.some((s) => s === 0),
        'some proofs were still in flight when it died',
      );
      await serve.exited;
      const db = new SqliteDatabase(join(serve.dataDir, 'inzage.db'), { readonly: true });
      try {
        const stored = new Set(
          (db.prepare('select consent_id from cookie_consents').all() as { consent_id: string }[]).map(
            (r) => r.consent_id,
          ),
        );
        const lost = acked.filter((id) => !stored.has(id));
        assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged proofs are missing`);
      } finally {
        db.close();
      }
    } finally {
      if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
      rmSync(serve.dataDir, { recursive: true, force: true });
    }
  });
});
