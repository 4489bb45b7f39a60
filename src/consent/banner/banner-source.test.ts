import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/**
 * The banner runs on the shop's page with whatever a cookie, localStorage or the server hands it (a
 * sibling subdomain can plant a cookie). Beside the Chromium test with a hostile cookie, this keeps every
 * way of turning a string into markup or code out of its source, comments aside.
 */
describe('the banner’s source', () => {
  it('never turns a string into markup or code', () => {
    const code = readFileSync(new URL('./banner.ts', import.meta.url), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function'])
      assert.ok(!code.includes(sink), `banner.ts uses ${sink}`);
  });
});
