import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadYamlFile } from '../config/yaml-file.ts';
import { DataMap } from '../datamap/datamap.schema.ts';
import { Policy } from '../policy/policy.schema.ts';
import { dataLabels, fieldLabel, formatMoment, formatMoney, formatValue, sectionTitle } from './data-labels.ts';

const policy = (() => {
  const loaded = loadYamlFile('examples/balkonzon/policy.yaml', Policy);
  if (!loaded.ok) throw new Error('example policy does not load');
  return loaded.value;
})();
const wordpress = (() => {
  process.env.SHOP_URL ??= 'sqlite::memory:';
  const loaded = loadYamlFile('test/fixtures/datamap/wordpress.yaml', DataMap);
  if (!loaded.ok) throw new Error(`wordpress map does not load: ${JSON.stringify(loaded.problems)}`);
  return dataLabels(loaded.value);
})();

describe('labels for what a person reads', () => {
  it("gives a WooCommerce map's columns words from their roles and names, never the column", () => {
    const label = (collection: string, field: string, lang: 'nl' | 'en' = 'nl') =>
      fieldLabel(wordpress, policy, { system: 'shop', collection, field }, lang);
    assert.equal(label('customers', 'user_email'), 'E-mailadres');
    assert.equal(label('customers', 'display_name'), 'Naam');
    assert.equal(label('customers', 'billing_first_name'), 'Factuur: voornaam');
    assert.equal(label('orders', '_billing_phone'), 'Factuur: telefoonnummer');
    assert.equal(label('orders', '_billing_phone', 'en'), 'Billing: telephone number');
    assert.equal(label('orders', '_customer_ip_address'), 'IP-adres');
    assert.equal(label('orders', '_order_total'), 'Totaal');
    assert.equal(label('reviews', 'comment_author_email'), 'E-mailadres');
    assert.equal(label('reviews', 'comment_content'), 'Tekst');
    assert.equal(
      fieldLabel(
        wordpress,
        policy,
        { system: 'shop', collection: 'sessions', field: 'session_value', category: 'technical' },
        'nl',
      ),
      policy.categories.find((c) => c.id === 'technical')?.name.nl,
      'a column without a word: its category',
    );
    assert.equal(sectionTitle(wordpress, policy, { system: 'shop', collection: 'reviews' }, 'nl'), 'Uw beoordelingen');
    assert.equal(
      sectionTitle(
        wordpress,
        policy,
        { system: 'shop', collection: 'order_notes', mainCategory: 'correspondence' },
        'nl',
      ),
      policy.categories.find((c) => c.id === 'correspondence')?.name.nl,
    );
  });

  it('writes moments in Dutch time, days in words and money in euros', () => {
    assert.equal(formatMoment('2025-09-07T12:03:00.000Z', 'nl'), '7 september 2025, 14:03');
    assert.equal(formatMoment('2026-01-05T09:15:00Z', 'en'), '5 January 2026, 10:15');
    assert.equal(formatMoney(691.95, 'EUR', 'nl'), '€ 691,95');
    assert.equal(formatValue('total_cents', 69195, {}, 'nl'), '€ 691,95');
    assert.equal(formatValue('amount', '12.50', {}, 'nl'), '€ 12,50');
    assert.equal(formatValue('quantity', 2, {}, 'nl'), '2');
    assert.equal(formatValue('total_items', 3, {}, 'nl'), '3', 'a count, not money');
    assert.equal(formatValue('vat_number', '123456789', {}, 'nl'), '123456789');
    assert.equal(formatValue('tax_rate', 21, {}, 'nl'), '21');
    assert.equal(formatValue('unit_price_cents', 54900, {}, 'nl'), '€ 549,00');
    assert.equal(formatValue('total_paid', '19.95', { currency: 'USD' }, 'en'), 'US$19.95');
    assert.equal(formatValue('issued_at', '2026-03-01', {}, 'nl'), '1 maart 2026');
    assert.equal(formatValue('newsletter', true, {}, 'nl'), 'ja');
  });

  it('writes money only for a name whose whole part is a money word, never a flag, a count, a score or a moment', () => {
    // Not money: a money word inside another word, a yes/no, a moment, a count, a score, an exemption.
    assert.equal(formatValue('is_private', 1, {}, 'nl'), '1', '"vat" inside "private"');
    assert.equal(formatValue('is_private', '0', {}, 'nl'), '0');
    assert.equal(formatValue('paid', 1, {}, 'nl'), '1', 'a tinyint yes/no');
    assert.equal(formatValue('paid', '1', {}, 'nl'), '1');
    assert.equal(formatValue('paid_at', 1699999999, {}, 'nl'), '1699999999', 'an epoch, not € 1.699.999.999,00');
    assert.equal(formatValue('feedback_score', 4, {}, 'nl'), '4', '"fee" inside "feedback"');
    assert.equal(formatValue('totalItems', 3, {}, 'nl'), '3');
    assert.equal(formatValue('tax_exempt', 1, {}, 'nl'), '1');
    assert.equal(formatValue('tax_exempt', 0, {}, 'nl'), '0');
    assert.equal(formatValue('has_discount', 1, {}, 'nl'), '1');
    assert.equal(formatValue('vat', 1, {}, 'nl'), '1', 'a 0/1 in a column that is not clearly an amount');
    assert.equal(formatValue('order_total_count', 7, {}, 'nl'), '7');
    assert.equal(formatValue('price_list_id', 12, {}, 'nl'), '12');
    assert.equal(formatValue('costCenterNumber', 4410, {}, 'nl'), '4410');
    // Money: order totals, cents, WooCommerce's `_order_total`, camelCase, a total of 0 or 1.
    assert.equal(formatValue('_order_total', '99.00', {}, 'nl'), '€ 99,00');
    assert.equal(formatValue('total_cents', 69195, {}, 'nl'), '€ 691,95');
    assert.equal(formatValue('total', 0, {}, 'nl'), '€ 0,00');
    assert.equal(formatValue('shipping_total', 1, {}, 'nl'), '€ 1,00');
    assert.equal(formatValue('subtotal', '41.32', {}, 'nl'), '€ 41,32');
    assert.equal(formatValue('totalPrice', 12.5, {}, 'en'), '€12.50');
    assert.equal(formatValue('unitPriceCents', 995, {}, 'nl'), '€ 9,95');
    assert.equal(formatValue('vat', 8.68, {}, 'nl'), '€ 8,68');
    assert.equal(formatValue('discount_amount', 5, {}, 'nl'), '€ 5,00');
    assert.equal(formatValue('shipping_cost', 4.95, {}, 'nl'), '€ 4,95');
    assert.equal(formatValue('tax', '1.99', {}, 'nl'), '€ 1,99');
  });
});
