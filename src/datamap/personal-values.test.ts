import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kindsOf, shows } from './personal-values.ts';

describe('what a value looks like', () => {
  it('finds an e-mail address in a value, also inside JSON or a sentence', () => {
    assert.deepEqual(kindsOf('a_b%c@example.nl'), ['email']);
    assert.deepEqual(kindsOf('{"fields":{"email":"jan@example.nl","naam":"Jan"}}'), ['email']);
    assert.deepEqual(kindsOf('Mail mij op (jan@example.nl).'), ['email']);
    assert.deepEqual(kindsOf('@balkonzon op Instagram'), []);
  });

  it('finds an IBAN by its check digits, not any two letters and numbers', () => {
    assert.deepEqual(kindsOf('NL91 ABNA 0417 1643 00'), ['iban']);
    assert.deepEqual(kindsOf('betaald van NL91ABNA0417164300'), ['iban']);
    assert.deepEqual(kindsOf('NL91ABNA0417164301'), []);
  });

  it('takes phone numbers, IP addresses and postal codes only as the whole value', () => {
    assert.deepEqual(kindsOf('06-12345678'), ['phone']);
    assert.deepEqual(kindsOf('+31 20 123 4567'), ['phone']);
    assert.deepEqual(kindsOf('0031612345678'), ['phone']);
    assert.deepEqual(kindsOf('8712345678901'), [], 'an EAN is no phone number');
    assert.deepEqual(kindsOf('192.0.2.10'), ['ip']);
    assert.deepEqual(kindsOf('2001:db8::1'), ['ip']);
    assert.deepEqual(kindsOf('3511 AA'), ['postal-code']);
    assert.deepEqual(kindsOf('3511AA'), ['postal-code']);
    assert.deepEqual(kindsOf('SW1A 1AA'), ['postal-code']);
    assert.deepEqual(kindsOf('Bel 06-12345678 na 5 uur'), []);
  });

  it('takes a name when its first word is a common first name, and no product name for one', () => {
    for (const name of ['Sanne de Boer', 'Jan-Willem van der Berg', 'Zoë', 'Emily Clarke', "Sara d'Ancona"])
      assert.deepEqual(kindsOf(name), ['name'], name);
    for (const product of [
      'Plug-in zonnepaneelset 2×400 Wp',
      'Balkon zonnepaneel 400 Wp',
      'Micro-omvormer 800 W',
      'Balkonbeugel verstelbaar',
      'Gevelbeugel zwart',
      'Rose Gold',
      'Max Power Kabel',
      'jan',
    ])
      assert.deepEqual(kindsOf(product), [], product);
  });

  it('shows a column for one exact address or IBAN, and for other kinds in a third of its values', () => {
    assert.equal(shows('email', 1, 300), true);
    assert.equal(shows('phone', 1, 3), false);
    assert.equal(shows('phone', 100, 300), true);
    assert.equal(shows('name', 20, 300), false);
  });
});
