import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SCAN_JOB } from '../src/scan/scan.job.ts';
import { ScanRepository } from '../src/scan/scan.repository.ts';
import { ScanService } from '../src/scan/scan.service.ts';
import type { Finding, ScanReport } from '../src/scan/scan.types.ts';
import { adminLogin } from './helpers/admin.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { DIALECTS, skipFor } from './helpers/db.ts';

const SHOP = 'https://balkonzon.nl/';
const error = (kind: Finding['kind'], name: string, host: string, pass: Finding['pass'], page = SHOP): Finding => ({
  kind,
  severity: 'error',
  name,
  host,
  page,
  pass,
});
const FBP_BEFORE = error('cookie-before-consent', '_fbp', 'balkonzon.nl', 'no-choice');
const FBP_UNDECLARED = error('undeclared-cookie', '_fbp', 'balkonzon.nl', 'no-choice');
const META_AFTER_REJECT = error('host-after-reject', 'connect.facebook.net', 'connect.facebook.net', 'reject');
const NOT_SEEN: Finding = {
  kind: 'declared-not-seen',
  severity: 'warning',
  name: '_ga',
  host: null,
  page: null,
  pass: null,
};

const report = (findings: Finding[]): ScanReport => ({
  pages: [SHOP, `${SHOP}zonnepanelen`],
  passes: [],
  findings,
  startedAt: '2026-11-20T05:00:00.000Z',
  seconds: 12.5,
});

for (const dialect of DIALECTS) {
  describe(`the daily cookie scan (${dialect})`, { skip: skipFor(dialect) }, () => {
    const apps: TestApp[] = [];
    after(async () => {
      for (const t of apps) await t.close();
    });

    /** The app, and a scan service on its store whose scans return what the test says. */
    async function setup() {
      const t = await buildTestApp(dialect);
      apps.push(t);
      let next: () => Promise<ScanReport> = async () => report([]);
      const scans = new ScanService({
        db: t.store.db,
        scans: new ScanRepository(t.store.db),
        scan: () => next(),
        mail: t.services.outbox,
        clock: t.clock,
        officerEmail: () => 'privacy@balkonzon.nl',
        adminUrl: 'http://localhost:8080/admin',
      });
      return { t, scans, scanReturns: (f: () => Promise<ScanReport>) => (next = f) };
    }
    const scanMails = async (t: TestApp) =>
      (await t.services.outbox.messages()).filter((m) => m.template === 'scan-findings');

    it('mails the officer each new error once, and not the ones mailed on an earlier day', async () => {
      const { t, scans, scanReturns } = await setup();
      scanReturns(async () => report([FBP_BEFORE, FBP_UNDECLARED, NOT_SEEN]));
      assert.deepEqual((await scans.daily()).mailed, 2);
      t.clock.advance(24 * 3600_000);
      // The same cookie found on another page the next day is the same finding.
      scanReturns(async () =>
        report([{ ...FBP_BEFORE, page: `${SHOP}aanbieding` }, FBP_UNDECLARED, META_AFTER_REJECT, NOT_SEEN]),
      );
      assert.deepEqual((await scans.daily()).mailed, 1);
      t.clock.advance(24 * 3600_000);
      assert.deepEqual((await scans.daily()).mailed, 0, 'nothing new: no mail');

      const mails = await scanMails(t);
      assert.equal(mails.length, 2);
      const [first, second] = [...mails].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      assert.equal(first!.to, 'privacy@balkonzon.nl');
      assert.equal(first!.subject, 'Inzage: de cookiescan vond 2 nieuwe fouten');
      assert.match(
        first!.text,
        /Cookie _fbp \(balkonzon\.nl\) gezet vóór een keuze, zonder toestemming;\s+op https:\/\/balkonzon\.nl\/, zonder keuze/,
      );
      assert.match(first!.text, /Cookie _fbp \(balkonzon\.nl\) staat niet in het privacybeleid/);
      assert.doesNotMatch(first!.text, /_ga/, 'a warning is not mailed');
      assert.equal(second!.subject, 'Inzage: de cookiescan vond 1 nieuwe fout');
      assert.match(second!.text, /connect\.facebook\.net benaderd nadat alles geweigerd was/);
      assert.match(second!.text, /In totaal vond de scan 3 fouten; de andere zijn eerder gemeld\./);
    });

    it("shows the latest scan's findings on the officer's dashboard, in words, and not to staff", async () => {
      const { t, scans, scanReturns } = await setup();
      scanReturns(async () => report([FBP_BEFORE, META_AFTER_REJECT, NOT_SEEN]));
      await scans.daily();
      t.deps.scans = scans;
      const officer = await adminLogin(t, 'officer');
      const page = await t.app.inject({ url: '/admin', headers: { cookie: officer.cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h2 id="cookie-scan">Cookiescan<\/h2>/);
      assert.match(page.body, /Laatste scan 1 november 2026 om 10:00: 2 pagina's bezocht/);
      assert.match(page.body, /⚠ 2 fouten/);
      assert.match(page.body, /Cookie _fbp \(balkonzon\.nl\) gezet vóór een keuze, zonder toestemming/);
      assert.match(
        page.body,
        /connect\.facebook\.net benaderd nadat alles geweigerd was · <a href="https:\/\/balkonzon\.nl\/">https:\/\/balkonzon\.nl\/<\/a> · na &quot;Alles weigeren&quot;/,
      );
      assert.match(page.body, /<strong>Waarschuwing<\/strong>: _ga staat in het privacybeleid maar werd niet gezien/);
      assert.doesNotMatch(page.body, /cookie-before-consent|host-after-reject/, 'no kinds as slugs');
      const staff = await adminLogin(t, 'staff');
      const staffPage = await t.app.inject({ url: '/admin', headers: { cookie: staff.cookie } });
      assert.doesNotMatch(staffPage.body, /Cookiescan/);
    });

    it('records a scan that could not run, says why on the dashboard, and mails nothing', async () => {
      const { t, scans, scanReturns } = await setup();
      scanReturns(async () => {
        throw new Error(
          "Chromium not found: install Debian's chromium (apt-get install chromium) or set INZAGE_CHROMIUM",
        );
      });
      await scans.daily();
      const latest = await scans.latest();
      assert.equal(latest?.status, 'failed');
      assert.match(latest?.failure ?? '', /Chromium not found/);
      t.deps.scans = scans;
      const officer = await adminLogin(t, 'officer');
      const page = await t.app.inject({ url: '/admin', headers: { cookie: officer.cookie } });
      assert.match(page.body, /is mislukt: Chromium not found/);
      assert.equal((await scanMails(t)).length, 0);
    });
  });
}

describe('the daily scan is scheduled only when scan.yaml asks for it', () => {
  it('is not scheduled by default, and is once a day with daily: true', async () => {
    const plain = await buildTestApp('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'inzage-scan-daily-'));
    cpSync('examples/balkonzon', dir, { recursive: true });
    writeFileSync(join(dir, 'scan.yaml'), 'daily: true\npages: [/zonnepanelen]\n');
    const daily = await buildTestApp('sqlite', { env: { INZAGE_CONFIG_DIR: dir } });
    try {
      assert.ok(
        plain.services.jobDefinitions.some((d) => d.name === SCAN_JOB),
        'the job can always run',
      );
      assert.ok(!plain.services.schedules.some((s) => s.name === SCAN_JOB));
      assert.deepEqual(
        daily.services.schedules.filter((s) => s.name === SCAN_JOB),
        [{ name: SCAN_JOB, everyMs: 24 * 3600_000 }],
      );
    } finally {
      await plain.close();
      await daily.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
