import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containmentPatterns, holdsAddress, looksSerialized, stringsIn } from './value-format.ts';

/** A PHP serialize() string, lengths in UTF-8 bytes as PHP writes them. */
const s = (text: string) => `s:${Buffer.byteLength(text)}:"${text}";`;
const array = (entries: Array<[string, string]>) =>
  `a:${entries.length}:{${entries.map(([k, v]) => s(k) + s(v)).join('')}}`;

describe('a value that holds a person among other things', () => {
  it('finds an address in a WooCommerce session, whose customer array is serialized inside the session', () => {
    const customer = array([
      ['first_name', 'Zoë'],
      ['email', ' Zoë.Jansen@Example.NL'],
      ['phone', '0612345678'],
    ]);
    const session = array([
      ['cart', 'a:0:{}'],
      ['customer', customer],
    ]);
    assert.equal(holdsAddress(session, 'serialized', 'zoë.jansen@example.nl'), true);
    assert.equal(holdsAddress(session, 'serialized', 'zoe.jansen@example.nl'), false);
    assert.equal(holdsAddress(session, 'serialized', 'jansen@example.nl'), false, 'a part is not the address');
  });

  it('reads a serialized value whose lengths do not fit (another character set) up to each string end', () => {
    assert.deepEqual(stringsIn('a:1:{s:5:"email";s:3:"jan@example.nl";}', 'serialized'), ['email', 'jan@example.nl']);
  });

  it('finds an address among the string values of JSON, escaped or not, and not in its keys', () => {
    assert.equal(holdsAddress('{"form":{"email":"a_b%c@example.nl"}}', 'json', 'a_b%c@example.nl'), true);
    assert.equal(holdsAddress('{"email":"zo\\u00eb@example.nl"}', 'json', 'zoë@example.nl'), true);
    assert.equal(holdsAddress('{"jan@example.nl":1}', 'json', 'jan@example.nl'), false);
    assert.equal(holdsAddress('not json but jan@example.nl', 'json', 'jan@example.nl'), true);
  });

  it('finds an address as a word of a composite string such as _billing_address_index', () => {
    const index = 'Jan Jansen  Dorpsstraat 1  Utrecht UT 3511AA NL Jan@Example.nl 0612345678';
    assert.equal(holdsAddress(index, 'composite', 'jan@example.nl'), true);
    assert.equal(holdsAddress(index, 'composite', 'an@example.nl'), false);
    assert.equal(holdsAddress('Jan <jan@example.nl>', 'composite', 'jan@example.nl'), true);
  });

  it('matches a plain value trimmed and lower-cased, otherwise exactly', () => {
    assert.equal(holdsAddress(' A_B%c@Example.NL ', 'plain', 'a_b%c@example.nl'), true);
    assert.equal(holdsAddress('axbyyc@example.nl', 'plain', 'a_b%c@example.nl'), false);
  });

  it("writes LIKE patterns in which _ and % are themselves, and JSON's escaped spelling too", () => {
    assert.deepEqual(containmentPatterns('a_b%c!d@example.nl', 'serialized'), ['%a!_b!%c!!d@example.nl%']);
    assert.deepEqual(containmentPatterns('zoë/x@example.nl', 'json'), [
      '%zoë/x@example.nl%',
      '%zo\\u00eb\\/x@example.nl%',
    ]);
  });

  it('tells a serialized value from plain text', () => {
    assert.equal(looksSerialized(array([['ip', '192.0.2.1']])), true);
    assert.equal(looksSerialized('O:8:"stdClass":1:{s:1:"a";s:1:"b";}'), true);
    assert.equal(looksSerialized(s('tekst')), true);
    assert.equal(looksSerialized('a:2 is geen array'), false);
    assert.equal(looksSerialized('jan@example.nl'), false);
  });
});
