import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type ServeProcess, spawnServe } from './helpers/serve.ts';
import { makeUnwritable } from './helpers/unwritable.ts';

/** `inzage serve` in a process of its own, as `npm start` runs it: what it refuses and what it serves. */
describe('inzage serve and the dev mailbox', () => {
  const started: ServeProcess[] = [];
  after(async () => {
    for (const s of started) await s.stop();
  });
  const serve = async (env: Record<string, string>) => {
    const s = await spawnServe(env);
    started.push(s);
    return s;
  };

  it('refuses to start on another address without SMTP, in one line naming INZAGE_SMTP_URL', async () => {
    const s = await serve({ INZAGE_HOST: '0.0.0.0' });
    assert.equal(await s.running(), false);
    assert.equal(await s.exited, 1);
    // The line every command starts with (its data, hub and config), then the one line that says why.
    const [places, ...lines] = s.err().trimEnd().split('\n');
    assert.match(places!, /^inzage: data folder /);
    assert.equal(lines.length, 1, s.err());
    assert.match(lines[0]!, /INZAGE_SMTP_URL/);
    assert.doesNotMatch(s.err(), /\bat .*\.ts:\d+/, 'no stack trace');
  });

  it('serves the dev mailbox on a fresh machine on localhost, as npm start does, and says mail is not sent', async () => {
    const s = await serve({});
    assert.equal(await s.running(), true, s.err());
    const res = await fetch(`${s.base}/dev/mailbox`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Mail is NOT being sent/);
    assert.equal((await fetch(`${s.base}/api/v1/dev/mailbox`)).status, 200);
    assert.match(s.out(), /dev mailbox http:\/\/localhost:\d+\/dev\/mailbox/);
  });

  it('opens the mailbox on another address only with INZAGE_DEV_MAILBOX=1, and says so loudly at the start', async () => {
    const s = await serve({ INZAGE_HOST: '0.0.0.0', INZAGE_DEV_MAILBOX: '1' });
    assert.equal(await s.running(), true, s.err());
    const res = await fetch(`${s.base}/dev/mailbox`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /open to everyone who can reach this server/);
    assert.match(s.err(), /!! Mail is NOT being sent/);
    assert.match(s.err(), /!! INZAGE_DEV_MAILBOX=1: the mailbox is open to everyone/);
  });

  it('refuses to start on a data folder it cannot write, in one line naming the folder', async (t) => {
    const envs: Array<Record<string, string>> = [{}, { INZAGE_SECRET: 'a-secret-of-at-least-thirty-two-characters' }];
    for (const env of envs) {
      const dataDir = mkdtempSync(join(tmpdir(), 'inzage-unwritable-'));
      const undo = makeUnwritable(dataDir);
      if (!undo) return t.skip('neither chattr (as root) nor chmod can make a folder read-only here');
      try {
        const s = await serve({ ...env, INZAGE_DATA_DIR: dataDir });
        assert.equal(await s.running(), false);
        assert.equal(await s.exited, 1);
        const [places, ...lines] = s.err().trimEnd().split('\n');
        assert.match(places!, /^inzage: data folder /);
        assert.equal(lines.length, 1, s.err());
        assert.equal(
          lines[0],
          `error: cannot write to the data folder ${dataDir} (INZAGE_DATA_DIR): ${process.getuid?.() === 0 ? 'not permitted (EPERM)' : 'permission denied (EACCES)'}; make it writable for this user, or set INZAGE_DATA_DIR to a folder that is`,
        );
      } finally {
        undo();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  });
});
