import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

for (const dialect of DIALECTS) {
  describe(`GET /metrics (${dialect})`, { skip: skipFor(dialect) }, () => {
    it('does not exist without INZAGE_METRICS_TOKEN', async () => {
      const t = await buildTestApp(dialect);
      try {
        assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 404);
      } finally {
        await t.close();
      }
    });

    it('answers a bearer of the token only, in Prometheus text, with counts and no personal data', async () => {
      const t = await buildTestApp(dialect, { env: { INZAGE_METRICS_TOKEN: TOKEN } });
      try {
        assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 401);
        const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
        assert.equal(wrong.statusCode, 401);

        const email = 'metrics.person@example.nl';
        const posted = await t.app.inject({
          method: 'POST',
          url: '/api/v1/requests',
          payload: { type: 'access', email },
        });
        assert.equal(posted.statusCode, 202);
        const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
        assert.equal(res.statusCode, 200);
        assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
        const text = res.body;
        assert.match(text, /^inzage_requests_open\{type="access",status="awaiting_verification"\} 1$/m);
        assert.match(text, /^inzage_requests_overdue 0$/m);
        assert.match(text, /^inzage_requests_due_within_7_days 0$/m);
        assert.match(text, /^inzage_jobs\{status="failed"\} 0$/m);
        assert.match(text, /^inzage_mails\{status="(queued|sent)"\} \d+$/m);
        assert.match(text, /^inzage_retention_last_run_timestamp_seconds 0$/m);
        assert.match(
          text,
          /^inzage_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/requests",status_code="202"\} 1$/m,
        );
        assert.doesNotMatch(text, /metrics\.person|example\.nl/, 'no address in any label');
      } finally {
        await t.close();
      }
    });
  });
}
