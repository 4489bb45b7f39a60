import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookieWrite, sameCookieDomain } from './cookie-writes.ts';
import { identifierParams } from './identifiers.ts';
import { cookieNameMatches, hostMatches, ShopOrigins, siteOf } from './patterns.ts';

describe('names and hosts as the policy writes them', () => {
  it('matches a cookie name exactly, or by * and <placeholder> for a variable part', () => {
    assert.ok(cookieNameMatches('_ga', '_ga'));
    assert.ok(!cookieNameMatches('_ga', '_gat'));
    assert.ok(cookieNameMatches('_ga_*', '_ga_ABC123'));
    assert.ok(cookieNameMatches('_ga_<container-id>', '_ga_ABC123'));
    assert.ok(!cookieNameMatches('_ga_*', '_ga'), 'the variable part is not empty');
    assert.ok(!cookieNameMatches('_ga_*', 'x_ga_ABC'), 'anchored at the start');
    assert.ok(cookieNameMatches('a.b*', 'a.bc') && !cookieNameMatches('a.b*', 'axbc'), 'a dot is a dot');
  });

  it('matches a host exactly, *.domain for its subdomains only, and a port only when one is written', () => {
    assert.ok(hostMatches('www.googletagmanager.com', 'www.googletagmanager.com'));
    assert.ok(hostMatches('*.google-analytics.com', 'region1.google-analytics.com'));
    assert.ok(hostMatches('*.google-analytics.com', 'a.b.google-analytics.com'));
    assert.ok(!hostMatches('*.google-analytics.com', 'google-analytics.com'));
    assert.ok(!hostMatches('*.google-analytics.com', 'evilgoogle-analytics.com'));
    assert.ok(hostMatches('127.0.0.2', '127.0.0.2:4000'), 'no port written: any port');
    assert.ok(hostMatches('127.0.0.2:4000', '127.0.0.2:4000'));
    assert.ok(!hostMatches('127.0.0.2:4000', '127.0.0.2:5000'));
  });

  it("tells the shop's own origins and sites from others by registrable domain", () => {
    assert.equal(siteOf('www.balkonzon.nl'), 'balkonzon.nl');
    assert.equal(siteOf('a.b.co.uk'), 'b.co.uk');
    assert.equal(siteOf('127.0.0.1'), '127.0.0.1');
    const shop = new ShopOrigins(['https://www.balkonzon.nl', 'http://127.0.0.1:8080']);
    assert.ok(shop.ownsUrl(new URL('https://cdn.balkonzon.nl/x.js')));
    assert.ok(shop.ownsUrl(new URL('http://127.0.0.1:9999/')), 'cookies and sites know no ports');
    assert.ok(!shop.ownsUrl(new URL('http://127.0.0.2:8080/')));
    assert.ok(!shop.ownsUrl(new URL('http://localhost:8080/')), 'localhost is another site than 127.0.0.1');
    assert.ok(shop.ownsDomain('.balkonzon.nl'));
    assert.ok(!shop.ownsDomain('.google.com'));
  });
});

describe('cookie writes and identifiers', () => {
  it('reads a Set-Cookie header or a document.cookie string, and knows a deletion', () => {
    assert.deepEqual(parseCookieWrite('_ga=GA1.1.1.2; Domain=.balkonzon.nl; Path=/; Max-Age=63072000'), {
      name: '_ga',
      domain: 'balkonzon.nl',
      deletes: false,
    });
    assert.equal(parseCookieWrite('x=; max-age=0; path=/')?.deletes, true);
    assert.equal(parseCookieWrite('x=1; expires=Thu, 01 Jan 1970 00:00:00 GMT')?.deletes, true);
    assert.equal(parseCookieWrite('novalue'), undefined);
    assert.ok(sameCookieDomain('.balkonzon.nl', 'www.balkonzon.nl'));
    assert.ok(!sameCookieDomain('balkonzon.nl', 'example.nl'));
  });

  it('names the query parameters that look like an id, never a measurement id or a page path', () => {
    const url = new URL(
      'https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC1234567&cid=1234567890.1712345678&dl=%2Fshop&sid=1712345678&_p=9f8e7d6c5b4a39281706&x=abcdefghijklmnop',
    );
    assert.deepEqual(identifierParams(url, new Set()), ['cid', 'sid', '_p']);
    const carried = new URL('https://pixel.example/p?u=secret-cookie-value');
    assert.deepEqual(identifierParams(carried, new Set(['secret-cookie-value'])), ['u'], "a cookie's value, carried");
    assert.deepEqual(
      identifierParams(new URL('https://x.example/?uuid=6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f'), new Set()),
      ['uuid'],
    );
  });
});
