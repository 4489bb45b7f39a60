import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emailAddress, isEmailAddress } from './email-address.ts';

describe('an e-mail address', () => {
  it("may have any RFC 5322 atext in its local part, such as % _ + ' & = and the rest", () => {
    for (const address of [
      'a_b%c@example.nl',
      'jan+webshop@example.nl',
      "o'brien@example.nl",
      'a&b=c@example.nl',
      "!#$%&'*+-/=?^_`{|}~@example.nl",
      'jan.de.vries@mail.example.co.uk',
    ])
      assert.equal(isEmailAddress(address), true, address);
  });

  it('may hold letters beyond ASCII (RFC 6532) in its local part and domain', () => {
    assert.equal(isEmailAddress('zoë@example.nl'), true);
    assert.equal(isEmailAddress('jan@bücher.de'), true);
  });

  it('is refused with spaces, control characters, empty atoms, no @ or no domain', () => {
    for (const address of [
      'a b@example.nl',
      'a\u0000b@example.nl',
      'a\tb@example.nl',
      'a\u200b@example.nl',
      '.a@example.nl',
      'a.@example.nl',
      'a..b@example.nl',
      'example.nl',
      '@example.nl',
      'a@',
      'a@example',
      'a@-example.nl',
      'a@example..nl',
      '"a b"@example.nl',
      'a@[192.0.2.1]',
      `${'x'.repeat(65)}@example.nl`,
      `a@${'x'.repeat(250)}.nl`,
    ])
      assert.equal(isEmailAddress(address), false, JSON.stringify(address));
  });

  it("is checked by a zod schema that keeps the caller's message and zod's e-mail format", () => {
    const result = emailAddress({ error: 'must be an e-mail address' }).safeParse('geen-adres');
    assert.equal(result.success, false);
    assert.equal(result.error?.issues[0]?.message, 'must be an e-mail address');
    assert.equal(result.error?.issues[0]?.code, 'invalid_format');
    assert.equal(emailAddress().safeParse('a_b%c@example.nl').success, true);
  });
});
