import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandColors } from '../../lib/branding.ts';
import { renderMail } from '../templates.ts';

const ctx = {
  shopName: 'Balkonzon b.v.',
  privacyEmail: 'privacy@balkonzon.nl',
  baseUrl: 'https://privacy.balkonzon.nl',
};
const branding = {
  name: 'Balkonzon',
  ...brandColors('#ffd400'),
  logo: { src: '/assets/brand-logo', absolute: 'https://privacy.balkonzon.nl/assets/brand-logo' },
};
const verify = {
  type: 'access' as const,
  link: 'https://privacy.balkonzon.nl/r/verify/Q2hhbmdlIHRoaXMgdG9rZW4gcGxlYXNlIQ',
  expiresAt: '2026-11-03T09:00:00.000Z',
};

describe("the e-mail's HTML shell", () => {
  it("carries the shop's logo, name and colour, with readable text on the colour", () => {
    const mail = renderMail('verify', 'nl', verify, { ...ctx, branding });
    assert.match(mail.html, /<img src="https:\/\/privacy\.balkonzon\.nl\/assets\/brand-logo" alt(="")? height="40"/);
    assert.match(mail.html, /background:#ffd400;color:#000000[^>]*>.*Balkonzon<\/span>/s);
    // The button in the shop's colour with black text on the yellow; links darkened to read on white.
    assert.match(mail.html, /href="https:\/\/privacy[^"]+"[^>]*background:#ffd400;color:#000000/);
    assert.ok(mail.html.includes(`color:${branding.linkColor}`));
    assert.notEqual(branding.linkColor, '#ffd400');
    assert.doesNotMatch(mail.text, /brand-logo/, 'the plain-text version has no picture');
  });

  it("keeps Inzage's plain look without a shop's look, and for the officer's own messages", () => {
    const plain = renderMail('verify', 'nl', verify, ctx);
    assert.doesNotMatch(plain.html, /<img/);
    assert.match(plain.html, /Balkonzon b\.v\./);
    const officer = renderMail(
      'officer-reminder',
      'nl',
      { dueSoon: [], overdue: [], openTasks: 0, adminUrl: 'https://privacy.balkonzon.nl/admin' },
      { ...ctx, branding },
    );
    assert.doesNotMatch(officer.html, /<img/, 'no shop logo on a message from Inzage to the officer');
  });
});
