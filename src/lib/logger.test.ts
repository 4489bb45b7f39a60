import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, prettyLine, scrubMessage, scrubUrl } from './logger.ts';

function capture(format?: 'json' | 'pretty' | 'auto', tty = false) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  if (tty) Object.assign(destination, { isTTY: true });
  return { logger: createLogger({ destination, format }), text: () => lines.join('') };
}

describe('the logger', () => {
  it('writes JSON lines to a file or pipe, and readable lines to a terminal, redacted either way', () => {
    const json = capture('auto');
    json.logger.warn({ requestId: 'r-1', email: 'a@example.nl' }, 'mail failed');
    const obj = JSON.parse(json.text());
    assert.equal(obj.msg, 'mail failed');
    assert.equal(obj.level, 40);

    const tty = capture('auto', true);
    tty.logger.warn({ requestId: 'r-1', email: 'a@example.nl' }, 'mail failed');
    assert.match(tty.text(), /^\d\d:\d\d:\d\d WARN {2}mail failed requestId=r-1 email=\[redacted\]\n$/);
    assert.equal(prettyLine('not json'), 'not json');
  });

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
