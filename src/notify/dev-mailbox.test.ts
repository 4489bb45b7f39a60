import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InzageError } from '../lib/errors.ts';
import { assertWorkerCanMail, devMailboxMode, isLoopbackHost } from './dev-mailbox.ts';

describe('the dev mailbox decision', () => {
  it('knows the hosts only this machine can reach', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.0.1.1', '::1', '[::1]', '::ffff:127.0.0.1'])
      assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '', '192.168.1.10', '10.0.0.1', 'privacy.example.nl', '::ffff:10.0.0.1'])
      assert.equal(isLoopbackHost(host), false, host);
  });

  it('opens the mailbox without SMTP on loopback, as npm start on a fresh machine does', () => {
    assert.equal(devMailboxMode({ smtpUrl: undefined, host: 'localhost', devMailbox: undefined }), 'loopback');
    assert.equal(devMailboxMode({ smtpUrl: undefined, host: '127.0.0.1', devMailbox: undefined }), 'loopback');
  });

  it('never opens it when mail goes out over SMTP', () => {
    for (const devMailbox of [undefined, true, false])
      assert.equal(devMailboxMode({ smtpUrl: 'smtp://mail:25', host: '0.0.0.0', devMailbox }), 'off');
  });

  it('opens it on any address only when INZAGE_DEV_MAILBOX=1 says so', () => {
    assert.equal(devMailboxMode({ smtpUrl: undefined, host: '0.0.0.0', devMailbox: true }), 'explicit');
  });

  it('refuses a reachable address without SMTP, or no SMTP with the mailbox turned off, in one line naming INZAGE_SMTP_URL', () => {
    for (const c of [
      { host: '0.0.0.0', devMailbox: undefined },
      { host: '192.168.1.10', devMailbox: undefined },
      { host: 'localhost', devMailbox: false },
    ]) {
      assert.throws(
        () => devMailboxMode({ smtpUrl: undefined, ...c }),
        (err: unknown) =>
          err instanceof InzageError &&
          err.code === 'CONFIG_INVALID' &&
          /^INZAGE_SMTP_URL is not set/.test(err.message) &&
          !err.message.includes('\n'),
      );
    }
  });

  it('keeps it closed on loopback behind a proxy, or when the public address is not this machine', () => {
    for (const c of [
      { trustProxy: true, baseUrl: 'http://localhost:8080' },
      { trustProxy: false, baseUrl: 'https://privacy.balkonzon.nl' },
    ])
      assert.throws(
        () => devMailboxMode({ smtpUrl: undefined, host: '127.0.0.1', devMailbox: undefined, ...c }),
        /INZAGE_SMTP_URL is not set and Inzage is reached from elsewhere/,
      );
    assert.equal(
      devMailboxMode({
        smtpUrl: undefined,
        host: '127.0.0.1',
        devMailbox: undefined,
        baseUrl: 'http://127.0.0.1:8080',
      }),
      'loopback',
    );
  });

  it('lets a worker on a shared PostgreSQL hub start only with SMTP or the mailbox asked for', () => {
    assert.throws(
      () => assertWorkerCanMail({ smtpUrl: undefined, devMailbox: undefined, database: { dialect: 'postgres' } }),
      /INZAGE_SMTP_URL is not set for this worker/,
    );
    assertWorkerCanMail({ smtpUrl: 'smtp://mail:25', devMailbox: undefined, database: { dialect: 'postgres' } });
    assertWorkerCanMail({ smtpUrl: undefined, devMailbox: true, database: { dialect: 'postgres' } });
    assertWorkerCanMail({ smtpUrl: undefined, devMailbox: undefined, database: { dialect: 'sqlite' } });
  });
});
