import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finding, lintPolicyText } from '../policy/lint.ts';

/**
 * `inzage init`: a starting config folder for a new shop: the platform's data map and a policy skeleton.
 * The skeleton is the example shop's policy with what only the shop can know left open as `[…]` points
 * and agreements pending, so that `inzage policy lint` names every open point.
 */
export const INIT_PLATFORMS = ['woocommerce', 'prestashop', 'shopify', 'myonlinestore', 'sql'] as const;
export type InitPlatform = (typeof INIT_PLATFORMS)[number];

const EXAMPLES = new URL('../../examples/', import.meta.url);
const example = (path: string) => readFileSync(new URL(path, EXAMPLES), 'utf8');

export interface StartingConfig {
  files: string[];
  /** What the linter says of the skeleton: its open points. */
  openPoints: Finding[];
}

export class InitRefused extends Error {}

/** Writes datamap.yaml and policy.yaml into `dir`, which must be missing or empty. */
export function writeStartingConfig(platform: InitPlatform, dir: string): StartingConfig {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InitRefused(`${dir} is a file, not a folder`);
    if (readdirSync(dir).length > 0)
      throw new InitRefused(`${dir} is not empty: nothing written (choose a new folder)`);
  } else mkdirSync(dir, { recursive: true });
  const policy = policySkeleton(platform);
  const files = { 'datamap.yaml': dataMapFor(platform), 'policy.yaml': policy };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { flag: 'wx' });
  return {
    files: Object.keys(files).map((f) => join(dir, f)),
    openPoints: lintPolicyText(policy, 'policy.yaml').findings,
  };
}

/** The platform that runs the shop, as the policy's processor the data map's shop system names. */
const SHOP_PROCESSOR: Record<InitPlatform, { id: string; name: string; service: string }> = {
  woocommerce: {
    id: 'hosting',
    name: '[NAAM VAN UW WEBHOST]',
    service: 'Hosting van de webwinkel (WooCommerce) en de database',
  },
  prestashop: {
    id: 'hosting',
    name: '[NAAM VAN UW WEBHOST]',
    service: 'Hosting van de webwinkel (PrestaShop) en de database',
  },
  shopify: { id: 'shopify', name: 'Shopify', service: 'Webwinkelplatform (Shopify)' },
  myonlinestore: { id: 'myonlinestore', name: 'MyOnlineStore', service: 'Webwinkelplatform (MyOnlineStore)' },
  sql: { id: 'hosting', name: '[NAAM VAN UW WEBHOST]', service: 'Hosting van de webwinkel en de database' },
};

export function policySkeleton(platform: InitPlatform): string {
  const shop = SHOP_PROCESSOR[platform];
  let text = example('woocommerce/policy.yaml');
  const replace = (from: string | RegExp, to: string) => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`policy skeleton: "${String(from)}" not found in the example`);
    text = next;
  };
  replace(
    /^(# .*\n)+/,
    `# The privacy policy of your shop, as data: a skeleton written by \`inzage init --platform ${platform}\`.
# Every [POINT IN CAPITALS] is for you to fill in, and every processor agreement is "pending" until you have
# it signed: \`inzage policy lint\` names each open point. Processors, categories and retention rules match
# the data map (datamap.yaml) beside this file; change both together, then run \`inzage datamap check\`.
`,
  );
  replace('  name: Voorbeeldwinkel b.v.', "  name: '[NAAM VAN UW BEDRIJF]'");
  replace('    street: Dorpsstraat 1', "    street: '[STRAAT EN HUISNUMMER]'");
  replace('    city: Utrecht', "    city: '[PLAATS]'");
  replace('    name: Anna de Wit', "    name: '[NAAM VAN DE CONTACTPERSOON VOOR PRIVACY]'");
  text = text.replaceAll('agreement: { status: signed, signedOn: 2025-12-01 }', 'agreement: { status: pending }');
  text = text.replaceAll('[hosting]', `[${shop.id}]`);
  replace('  - id: hosting\n    name: Webhost', `  - id: ${shop.id}\n    name: '${shop.name}'`);
  text = text.replace(
    /service: \{ nl: Hosting van de webwinkel \(WooCommerce\) en de database, en: [^}]*\}/,
    `service: { nl: ${shop.service}, en: ${shop.service} }`,
  );
  return text;
}

/** The platform's data map: the ready-made ones for WooCommerce and PrestaShop, a start for the others. */
export function dataMapFor(platform: InitPlatform): string {
  if (platform === 'woocommerce' || platform === 'prestashop') return example(`${platform}/datamap.yaml`);
  const manual = manualSystems();
  if (platform === 'shopify')
    return `# A shop on Shopify: Shopify holds the customers and orders, reached through its Admin GraphQL API
# (a custom app's access token in SHOPIFY_ACCESS_TOKEN, the shop's myshopify.com domain in
# SHOPIFY_SHOP_DOMAIN). Erasure asks Shopify to erase the customer (customerRequestDataErasure); the
# orders Shopify must keep are reported as retained. Shopify's compliance webhooks come in at
# POST /api/v1/webhooks/shopify (SHOPIFY_API_SECRET). Without the secrets every request becomes a task.
placeholder: '[verwijderd]'

systems:
  shopify:
    type: api
    name: Shopify
    connector: shopify
    processor: shopify
    credentials:
      shop: SHOPIFY_SHOP_DOMAIN
      accessToken: SHOPIFY_ACCESS_TOKEN
    options:
      apiVersion: '2025-07'
    contact: Shopify-admin van de winkel
    days: 30
    instructions:
      nl: Zoek de klant in de Shopify-admin op e-mailadres en kies "Persoonsgegevens wissen" (of "Klantgegevens exporteren" voor inzage).
      en: Find the customer in the Shopify admin by e-mail address and choose "Erase personal data" (or "Export customer data" for access).
${manual}`;
  if (platform === 'myonlinestore')
    return `# A shop on MyOnlineStore: customers and orders through its API v1 (MYONLINESTORE_API_KEY). Orders
# cannot be deleted through the API: they stay under the fiscal hold and become a task.
placeholder: '[verwijderd]'

systems:
  myonlinestore:
    type: api
    name: MyOnlineStore
    connector: myonlinestore
    processor: myonlinestore
    url: \${MYONLINESTORE_API_URL:-https://api.myonlinestore.com}
    credentials:
      apiKey: MYONLINESTORE_API_KEY
    contact: MyOnlineStore-backoffice van de winkel
    days: 30
    instructions:
      nl: Zoek de klant op e-mailadres in de MyOnlineStore-backoffice; verwijder de klantaccount, archiveer de bestellingen (die blijven 7 jaar bewaard).
      en: Look the customer up by e-mail in the MyOnlineStore back office; delete the customer account, archive the orders (kept for 7 years).
${manual}`;
  return `# A shop with its own database (INZAGE_SHOP_DATABASE_URL: sqlite:…, postgres://… or mysql://…): a start.
# Rename the tables and columns below to your shop's, add every table that holds people, and run
# \`inzage datamap check\`: it names what does not exist, and columns with e-mail addresses, phone numbers or
# names that this map does not mention yet. A field is "<category> <delete|null|mask|hash|keep>".
placeholder: '[verwijderd]'

systems:
  shop:
    type: sql
    name: Webwinkel
    url: \${INZAGE_SHOP_DATABASE_URL}
    processor: hosting
    collections:
      customers:
        identity: [email]
        activity: [created_at]
        fields:
          email: { category: contact, erase: delete, role: email }
          first_name: { category: contact, erase: delete, role: first_name }
          last_name: { category: contact, erase: delete, role: last_name }
          phone: { category: contact, erase: delete, role: phone }
          created_at: account delete
      orders:
        identity: [email]
        references: { customer_id: customers.id }
        activity: [created_at]
        collectedAt: created_at
        # Orders are fiscal records: sealed in Inzage's archive, then anonymised here.
        legalHold: { hold: fiscal, from: created_at }
        fields:
          customer_id: account null
          email: contact mask
          billing_name: contact mask
          billing_address: contact null
          ip_address: technical null
          total_cents: order keep
          created_at: order keep
${manual}`;
}

function manualSystems(): string {
  const woo = example('woocommerce/datamap.yaml');
  return woo.slice(woo.indexOf('  # The payment provider keeps'));
}
