import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { crc32, zipFiles } from './zip.ts';

const python = (() => {
  try {
    execFileSync('python3', ['-c', 'import zipfile']);
    return true;
  } catch {
    return false;
  }
})();

describe('zipFiles', () => {
  const files = {
    'index.html': strToU8(`<h1>Uw gegevens</h1>${'<p>regel</p>'.repeat(500)}`),
    'data.json': strToU8('{"naam":"Sanne de Boer","straat":"Ĳsselkade 3"}\n'),
    'shop/customers.csv': strToU8('id,email\r\n1,sanne@example.nl\r\n'),
    'leeg.txt': new Uint8Array(0),
    'één.txt': strToU8('a name in UTF-8'),
  };
  const at = new Date(Date.UTC(2026, 11, 6, 9, 41, 37));

  it('gives back every file byte for byte, compressed', () => {
    const zip = zipFiles(files, at);
    const back = unzipSync(zip);
    assert.deepEqual(Object.keys(back), Object.keys(files));
    for (const [name, content] of Object.entries(files)) assert.deepEqual(back[name], content, name);
    assert.ok(zip.length < files['index.html'].length, 'deflated');
    assert.equal(strFromU8(back['data.json']!), '{"naam":"Sanne de Boer","straat":"Ĳsselkade 3"}\n');
  });

  it('is the same zip for the same files and time', () => {
    assert.deepEqual(zipFiles(files, at), zipFiles(files, at));
  });

  it('computes the CRC-32 zip uses', () => {
    assert.equal(crc32(strToU8('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it('is read by another implementation, with its checksums and the UTC wall-clock time', {
    skip: !python && 'python3 is not here',
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'inzage-zip-'));
    try {
      const file = join(dir, 'a.zip');
      writeFileSync(file, zipFiles(files, at));
      const out = execFileSync('python3', [
        '-c',
        'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nfor i in z.infolist(): print(i.filename, i.file_size, i.date_time)',
        file,
      ]).toString();
      assert.match(out, /^index\.html \d+ \(2026, 12, 6, 9, 41, 36\)$/m);
      assert.match(out, /^één\.txt 15 /m);
      assert.match(out, /^leeg\.txt 0 /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
