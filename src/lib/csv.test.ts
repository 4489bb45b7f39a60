import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCsv } from '../../test/helpers/csv.ts';
import { toCsv } from './csv.ts';

const cells = (values: Array<string | number>) => readCsv(toCsv([values]))[0];

describe('CSV as Inzage writes it', () => {
  it('puts an apostrophe before every cell a spreadsheet would run as a formula', () => {
    assert.deepEqual(cells(['=1+1', '@SUM(A1:A9)', '+1+1', '-2+3+cmd|/C calc!A0', '\t=1', '\r=1', '＝1']), [
      "'=1+1",
      "'@SUM(A1:A9)",
      "'+1+1",
      "'-2+3+cmd|/C calc!A0",
      "'\t=1",
      "'\r=1",
      "'＝1",
    ]);
  });

  it('keeps a phone number readable, and leaves other text and numbers alone', () => {
    assert.deepEqual(cells(['+31 6 12345678', 'Sanne de Boer', 'a=b', 'x-y', '', -12.5, 3]), [
      "'+31 6 12345678",
      'Sanne de Boer',
      'a=b',
      'x-y',
      '',
      '-12.5',
      '3',
    ]);
  });

  it('writes CRLF line ends, a BOM when asked, and quotes what needs quoting', () => {
    const csv = toCsv(
      [
        ['a', 'b'],
        ['1, "2"', 'x\ny'],
      ],
      { bom: true },
    );
    assert.ok(csv.startsWith('\uFEFFa,b\r\n'));
    assert.deepEqual(readCsv(csv)[1], ['1, "2"', 'x\ny']);
  });
});
