import { SANNE } from '../../src/demo/demo-shop.ts';
import { DAY } from '../../src/lib/clock.ts';
import { adminLogin, cookieFrom, createAdminUser, csrfFrom, postForm } from './admin.ts';
import { buildTestApp, type TestApp } from './app.ts';
import { createTestShop, type TestShop } from './demo-shop.ts';

type Login = Awaited<ReturnType<typeof adminLogin>>;

/** A back-office page to look at: its address, and who may see it. */
export interface DeskPage {
  name: string;
  url: string;
  who: 'officer' | 'staff';
  /** Pages this task does not own (the policy editor): checked for axe and layout, not for their words. */
  foreign?: boolean;
}

/**
 * A desk with a bit of everything, made through the real services: requests in every state the officer
 * meets (an access answered, an erasure waiting on processors with its Art. 19 record, a rectification and
 * an objection awaiting a decision, one entered by post still unconfirmed), a breach, a disclosure, a
 * retention plan waiting, and audit entries. For the language test and the browser tests.
 */
export interface DeskFixture {
  t: TestApp;
  shop: TestShop;
  officer: Login;
  staff: Login;
  ids: Record<'access' | 'erasure' | 'rectification' | 'objection' | 'entered', string>;
  /** A customer of the demo shop who was erased, with invoices sealed in the archive. */
  erasedEmail: string;
  /** Every back-office page reachable by a GET, with the ids filled in. */
  pages: DeskPage[];
  /** Strings of the fixture's own data (names, addresses, free text typed by people): not the desk's words. */
  data: string[];
  close(): Promise<void>;
}

export async function createDeskFixture(): Promise<DeskFixture> {
  const shop = await createTestShop('sqlite', 40);
  const t = await buildTestApp('sqlite', { dataMap: shop.dataMap });
  const officer = await adminLogin(t, 'officer', { email: 'enrico@balkonzon.test' });
  const staff = await adminLogin(t, 'staff', { email: 'klantenservice@balkonzon.test' });
  const intake = t.services.officerIntake;
  const enter = async (type: string, email: string, extra: Record<string, unknown> = {}) =>
    (await intake.enter({ type, email, identityChecked: true, channel: 'phone', ...extra }, 'cli')).id;

  const access = await enter('access', SANNE.email);
  await t.drain();
  const erasure = await enter('erasure', 'lars.visser@example.com', { received: undefined });
  const rectification = await enter('rectification', 'fenna@example.com', { corrections: { last_name: 'Bakker' } });
  const objection = await enter('objection', 'joost@example.com', { purposes: ['website'] });
  const entered = (
    await intake.enter(
      { type: 'access', email: 'per.brief@example.com', channel: 'post', received: '2026-10-20' },
      'cli',
    )
  ).id;
  await t.drain();
  // A customer of the demo shop who asks to be erased: the shop's data goes, processors get tasks.
  const customer = await t.services.executor!.search('example', 40);
  const someone = customer.people.find((p) => p.email !== SANNE.email)!.email;
  const erasure2 = await enter('erasure', someone);
  await t.drain();

  await t.services.registers.breaches.create(
    {
      discoveredAt: new Date(t.clock.now().getTime() - 30 * 3_600_000).toISOString(),
      summary: 'Laptop X-17',
      description: 'Laptop X-17.',
      categories: ['contact', 'order'],
      peopleCount: '120',
      consequences: 'Phishing.',
      measures: 'Remote wipe.',
      closed: '',
    },
    `user:${officer.user.id}`,
  );
  await t.services.registers.disclosures.create(
    {
      disclosedOn: new Date(t.clock.now().getTime() - 3 * DAY).toISOString().slice(0, 10),
      authority: 'FIOD',
      legalBasis: 'AWR 47',
      disclosed: 'PDF 2025',
      about: 'X-17',
      outcome: 'OK',
    },
    `user:${officer.user.id}`,
  );
  await t.services.retention!.daily();

  // A setup link for the setup page, and the audit entries a desk has after a day's work.
  await postForm(t, '/admin/customers', { _csrf: officer.csrf, email: SANNE.email }, officer.cookie);
  await t.app.inject({ url: `/admin/requests/${access}`, headers: { cookie: officer.cookie, accept: 'text/html' } });

  // Sanne's recent invoices are under the fiscal hold: erased from the shop, they wait sealed in the archive.
  await t.services.executor!.erase({ email: SANNE.email });

  const pages: DeskPage[] = [
    { name: 'dashboard', url: '/admin', who: 'officer' },
    { name: 'dashboard-staff', url: '/admin', who: 'staff' },
    { name: 'requests', url: '/admin/requests?status=all', who: 'officer' },
    { name: 'requests-staff', url: '/admin/requests', who: 'staff' },
    { name: 'request-new', url: '/admin/requests/new', who: 'officer' },
    { name: 'request-access', url: `/admin/requests/${access}`, who: 'officer' },
    { name: 'request-erasure', url: `/admin/requests/${erasure2}`, who: 'officer' },
    { name: 'request-erasure-nothing', url: `/admin/requests/${erasure}`, who: 'officer' },
    { name: 'request-rectification', url: `/admin/requests/${rectification}`, who: 'officer' },
    { name: 'request-objection', url: `/admin/requests/${objection}`, who: 'officer' },
    { name: 'request-entered', url: `/admin/requests/${entered}`, who: 'officer' },
    { name: 'tasks', url: '/admin/tasks?status=all', who: 'officer' },
    { name: 'customers', url: '/admin/customers', who: 'staff' },
    { name: 'retention', url: '/admin/retention', who: 'officer' },
    { name: 'audit', url: '/admin/audit', who: 'officer' },
    { name: 'registers', url: '/admin/registers', who: 'officer' },
    { name: 'processors', url: '/admin/registers/processors', who: 'officer' },
    { name: 'disclosures', url: '/admin/registers/disclosures', who: 'officer' },
    { name: 'disclosure-new', url: '/admin/registers/disclosures/new', who: 'officer' },
    { name: 'breaches', url: '/admin/registers/breaches', who: 'officer' },
    { name: 'breach-new', url: '/admin/registers/breaches/new', who: 'officer' },
    { name: 'account', url: '/admin/account', who: 'staff' },
    { name: 'policy', url: '/admin/policy', who: 'officer', foreign: true },
  ];
  const breach = (await t.services.registers.breaches.list())[0]!;
  const disclosure = (await t.services.registers.disclosures.list())[0]!;
  pages.push(
    { name: 'breach-edit', url: `/admin/registers/breaches/${breach.id}`, who: 'officer' },
    { name: 'disclosure-edit', url: `/admin/registers/disclosures/${disclosure.id}`, who: 'officer' },
  );

  return {
    t,
    shop,
    officer,
    staff,
    ids: { access, erasure: erasure2, rectification, objection, entered },
    erasedEmail: SANNE.email,
    pages,
    // The demo shop's people, by name: a search lists them.
    data: [
      SANNE.fullName,
      SANNE.firstName,
      SANNE.lastName,
      'Bakker',
      someone,
      ...customer.people.flatMap((p) => p.names),
    ],
    close: async () => {
      await t.close();
      await shop.drop();
    },
  };
}

/** A fresh setup link's page and the login pages, as someone not logged in sees them. */
export async function pagesBeforeLogin(t: TestApp): Promise<Array<{ name: string; url: string }>> {
  const { setupLink } = await t.services.admin.users.add(`nieuw-${Date.now()}@balkonzon.test`, 'officer');
  return [
    { name: 'login', url: '/admin/login' },
    { name: 'setup', url: new URL(setupLink).pathname },
  ];
}

export { cookieFrom, createAdminUser, csrfFrom };
