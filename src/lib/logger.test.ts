import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, scrubMessage, scrubUrl } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { logger: createLogger({ destination }), text: () => lines.join('') };
}

describe('the logger', () => {
  it('redacts e-mail, name, address, token and password fields at any depth', () => {
    const { logger, text } = capture();
    logger.info(
      {
        email: 'sanne.deboer@example.nl',
        subject: { name: 'Sanne de Boer', address: { street: 'Kerkstraat 12' } },
        deep: { a: { token: 'secret-token-value', password: 'hunter2' } },
        requestId: 'r-1',
      },
      'request received',
    );
    const out = text();
    for (const secret of ['sanne', 'Sanne de Boer', 'Kerkstraat', 'secret-token-value', 'hunter2']) {
      assert.ok(!out.includes(secret), `${secret} leaked into the log`);
    }
    assert.match(out, /r-1/);
  });

  it('scrubs query strings and token-like segments from URLs', () => {
    assert.equal(scrubUrl('/privacy?lang=en'), '/privacy?…');
    assert.equal(scrubUrl('/requests/verify/AbCdEfGhIjKlMnOpQrStUvWx'), '/requests/verify/:token');
    assert.equal(scrubUrl('/api/v1/policy/register'), '/api/v1/policy/register');
  });

  it('removes e-mail addresses from error messages', () => {
    assert.equal(scrubMessage('no customer for Jan@Example.NL found'), 'no customer for [e-mail] found');
  });
});
