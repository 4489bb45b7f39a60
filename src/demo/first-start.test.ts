import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../lib/logger.ts';
import { ensureDemoShop } from './first-start.ts';

describe('the demo shop on first start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inzage-first-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is written once into the data folder, and left alone after that', async () => {
    const file = await ensureDemoShop(dir, {}, silentLogger());
    assert.equal(file, join(dir, 'demo-shop.db'));
    const written = statSync(file!).mtimeMs;
    assert.equal(await ensureDemoShop(dir, {}, silentLogger()), undefined);
    assert.equal(statSync(file!).mtimeMs, written);
  });

  it('is not written when the demo is turned off or a real shop is configured', async () => {
    const other = join(dir, 'other');
    assert.equal(await ensureDemoShop(other, { INZAGE_DEMO: '0' }, silentLogger()), undefined);
    assert.equal(
      await ensureDemoShop(other, { INZAGE_SHOP_DATABASE_URL: 'postgres://shop' }, silentLogger()),
      undefined,
    );
    assert.equal(existsSync(join(other, 'demo-shop.db')), false);
  });
});
