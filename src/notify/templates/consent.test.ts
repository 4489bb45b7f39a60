import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMail } from '../templates.ts';

const ctx = { shopName: 'Balkonzon', privacyEmail: 'privacy@balkonzon.nl', baseUrl: 'https://privacy.balkonzon.nl' };
const LINK = 'https://privacy.balkonzon.nl/consent/withdraw/Q2hhbmdlIHRoaXMgdG9rZW4gcGxlYXNlIQ';
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('consent mail templates', () => {
  it('asks to confirm a withdrawal with one link, valid 48 hours, naming no purpose or person', () => {
    const nl = renderMail('consent-withdraw-verify', 'nl', { link: LINK, expiresAt: '2026-11-28T10:00:00Z' }, ctx);
    assert.equal(nl.subject, 'Bevestig het intrekken van uw toestemming');
    assert.deepEqual(nl.links, [LINK]);
    assert.match(flat(nl.text), /48 uur geldig, tot 28 november 2026 om 11:00/);
    assert.ok(nl.html.includes(`href="${LINK}"`));
    const en = renderMail('consent-withdraw-verify', 'en', { link: LINK, expiresAt: '2026-11-28T10:00:00Z' }, ctx);
    assert.match(flat(en.text), /valid for 48 hours, until 28 November 2026 at 11:00/);
    assert.match(en.html, /<html lang="en">/);
  });

  it('confirms the withdrawal and lists the purposes', () => {
    const purposes = ['Op een later moment contact met u opnemen', 'Beoordelingen verzamelen'];
    const nl = renderMail('consent-withdrawn', 'nl', { purposes }, ctx);
    assert.equal(nl.subject, 'Uw toestemming is ingetrokken');
    for (const p of purposes) assert.match(nl.text, new RegExp(`- ${p}`));
    assert.deepEqual(nl.links, []);
    const en = renderMail('consent-withdrawn', 'en', { purposes: ['Later contact'] }, ctx);
    assert.equal(en.subject, 'Your consent has been withdrawn');
    assert.match(en.text, /- Later contact/);
  });
});
