/**
 * The demo shop's schema, written once and rendered for SQLite, PostgreSQL and MySQL/MariaDB. Outside tests rely on
 * these exact tables and columns; rows travel as arrays in this column order.
 */

type ColumnType = 'pk' | 'int' | 'text' | 'time';

export interface Column {
  name: string;
  type: ColumnType;
  notNull?: boolean;
  unique?: boolean;
  default?: string;
  references?: TableName;
}

const pk = (): Column => ({ name: 'id', type: 'pk' });
const text = (name: string, notNull = false): Column => ({ name, type: 'text', notNull });
const int = (name: string, notNull = false): Column => ({ name, type: 'int', notNull });
const time = (name: string, notNull = false): Column => ({ name, type: 'time', notNull });
const ref = (name: string, references: TableName, notNull: boolean): Column => ({
  name,
  type: 'int',
  notNull,
  references,
});

export const TABLE_NAMES = [
  'customers',
  'orders',
  'order_lines',
  'invoices',
  'payments',
  'shipments',
  'reviews',
  'contact_moments',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export const DEMO_SCHEMA: Record<TableName, readonly Column[]> = {
  customers: [
    pk(),
    text('email', true),
    text('first_name', true),
    text('last_name', true),
    text('phone'),
    text('street'),
    text('house_number'),
    text('postal_code'),
    text('city'),
    { name: 'country', type: 'text', notNull: true, default: 'NL' },
    time('created_at', true),
    time('last_login_at'),
  ],
  orders: [
    pk(),
    { name: 'number', type: 'text', notNull: true, unique: true },
    ref('customer_id', 'customers', false),
    text('email', true),
    text('billing_name', true),
    text('billing_street'),
    text('billing_house_number'),
    text('billing_postal_code'),
    text('billing_city'),
    text('billing_country'),
    text('shipping_name'),
    text('shipping_street'),
    text('shipping_house_number'),
    text('shipping_postal_code'),
    text('shipping_city'),
    text('shipping_country'),
    text('phone'),
    text('status', true),
    int('total_cents', true),
    text('ip_address'),
    time('created_at', true),
  ],
  order_lines: [
    pk(),
    ref('order_id', 'orders', true),
    text('sku', true),
    text('description', true),
    int('quantity', true),
    int('unit_price_cents', true),
  ],
  invoices: [
    pk(),
    ref('order_id', 'orders', true),
    { name: 'number', type: 'text', notNull: true, unique: true },
    time('issued_at', true),
    text('billing_name', true),
    text('billing_address', true),
    int('total_cents', true),
    int('vat_cents', true),
  ],
  payments: [
    pk(),
    ref('order_id', 'orders', true),
    text('provider', true),
    text('provider_payment_id', true),
    text('method', true),
    text('consumer_name'),
    text('consumer_account'),
    int('amount_cents', true),
    time('paid_at'),
  ],
  shipments: [
    pk(),
    ref('order_id', 'orders', true),
    text('carrier', true),
    text('tracking_code'),
    text('recipient_name', true),
    text('street'),
    text('house_number'),
    text('postal_code'),
    text('city'),
    text('country'),
    time('shipped_at'),
    time('delivered_at'),
  ],
  reviews: [
    pk(),
    ref('order_id', 'orders', false),
    text('author_name', true),
    text('author_email', true),
    int('rating', true),
    text('body'),
    time('created_at', true),
  ],
  contact_moments: [
    pk(),
    ref('customer_id', 'customers', false),
    text('email', true),
    text('channel', true),
    text('subject'),
    text('body'),
    time('occurred_at', true),
  ],
};

export const EMAIL_COLUMNS: ReadonlyArray<readonly [TableName, string]> = [
  ['customers', 'email'],
  ['orders', 'email'],
  ['reviews', 'author_email'],
  ['contact_moments', 'email'],
];

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** A quoted, optionally schema-qualified table name. */
export type QualifiedName = (table: string) => string;

function columnSql(column: Column, dialect: Dialect, q: QualifiedName): string {
  // PostgreSQL and MySQL get their keys after the load (`constraintStatements`); MySQL its primary key inline,
  // since InnoDB keeps a table's rows in its primary key's order.
  const inline = dialect === 'sqlite';
  let sqlType: string;
  if (column.type === 'pk') sqlType = dialect === 'postgres' ? 'integer' : 'integer primary key';
  else if (column.type === 'int') sqlType = 'integer';
  else if (dialect === 'mysql') sqlType = mysqlTextType(column);
  else sqlType = column.type === 'time' && dialect === 'postgres' ? 'timestamptz' : 'text';
  let sql = `${column.name} ${sqlType}`;
  if (column.notNull) sql += ' not null';
  if (column.unique && inline) sql += ' unique';
  if (column.default !== undefined) sql += ` default '${column.default}'`;
  if (column.references && inline) sql += ` references ${q(column.references)}(id)`;
  return sql;
}

/**
 * MySQL indexes a `varchar`, not a `text`: every text is a `varchar(255)` but free text. Times stay ISO 8601
 * UTC text as on SQLite: a `datetime` has no time zone, and the shop's times are instants.
 */
function mysqlTextType(column: Column): string {
  if (column.type === 'time') return 'varchar(32)';
  return column.name === 'body' ? 'text' : 'varchar(255)';
}

/** CREATE TABLE statements in dependency order. */
export function createTableStatements(dialect: Dialect, q: QualifiedName): string[] {
  // A Unicode collation that ignores case, as a MySQL shop's tables have (WooCommerce installs utf8mb4_unicode_ci).
  const options = dialect === 'mysql' ? ' engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci' : '';
  return TABLE_NAMES.map((table) => {
    const columns = DEMO_SCHEMA[table].map((c) => columnSql(c, dialect, q));
    return `create table ${q(table)} (\n  ${columns.join(',\n  ')}\n)${options}`;
  });
}

export function dropTableStatements(dialect: Dialect, q: QualifiedName): string[] {
  const reversed = [...TABLE_NAMES].reverse();
  if (dialect !== 'sqlite') return [`drop table if exists ${reversed.map(q).join(', ')}`];
  return reversed.map((table) => `drop table if exists ${q(table)}`);
}

/**
 * PostgreSQL's primary keys, unique and foreign keys, added once the rows are in: building an index
 * in one sort and validating a key in one pass is much faster than doing both row by row. The names
 * are the ones PostgreSQL would have chosen for the inline constraints.
 */
export function constraintStatements(q: QualifiedName): string[] {
  const statements: string[] = [];
  for (const table of TABLE_NAMES) {
    statements.push(`alter table ${q(table)} add constraint ${table}_pkey primary key (id)`);
    for (const c of DEMO_SCHEMA[table]) {
      if (c.unique) statements.push(`alter table ${q(table)} add constraint ${table}_${c.name}_key unique (${c.name})`);
    }
  }
  for (const table of TABLE_NAMES) {
    for (const c of DEMO_SCHEMA[table]) {
      if (!c.references) continue;
      const fk = `${table}_${c.name}_fkey foreign key (${c.name}) references ${q(c.references)}(id)`;
      statements.push(`alter table ${q(table)} add constraint ${fk}`);
    }
  }
  return statements;
}

/** Indexes on every e-mail column (raw and normalised) and on every foreign key, built after loading. */
export function indexStatements(dialect: Dialect, q: QualifiedName): string[] {
  const trim = dialect === 'postgres' ? 'btrim' : 'trim';
  const statements: string[] = [];
  for (const [table, column] of EMAIL_COLUMNS) {
    statements.push(`create index ${table}_${column}_idx on ${q(table)} (${column})`);
    statements.push(`create index ${table}_${column}_norm_idx on ${q(table)} (lower(${trim}(${column})))`);
  }
  for (const table of TABLE_NAMES) {
    for (const column of DEMO_SCHEMA[table]) {
      if (column.references)
        statements.push(`create index ${table}_${column.name}_idx on ${q(table)} (${column.name})`);
    }
  }
  return statements;
}

/**
 * MySQL's indexes, unique and foreign keys, added once the rows are in: one `alter table` per table builds all
 * of its indexes in one pass over the rows, and with `foreign_key_checks = 0` a foreign key is added without
 * reading them again. The same indexes as elsewhere but the normalised e-mail's: MariaDB has no index on an
 * expression, and the column's own index ignores case (the engine's finds use it with ranges, `sql-dialect.ts`).
 */
export function mysqlKeyStatements(q: QualifiedName): string[] {
  const indexes: string[] = [];
  const foreignKeys: string[] = [];
  for (const table of TABLE_NAMES) {
    const adds: string[] = [];
    for (const [t, column] of EMAIL_COLUMNS) if (t === table) adds.push(`add index ${table}_${column}_idx (${column})`);
    const fks: string[] = [];
    for (const c of DEMO_SCHEMA[table]) {
      if (c.unique) adds.push(`add constraint ${table}_${c.name}_key unique (${c.name})`);
      if (!c.references) continue;
      adds.push(`add index ${table}_${c.name}_idx (${c.name})`);
      fks.push(`add constraint ${table}_${c.name}_fkey foreign key (${c.name}) references ${q(c.references)}(id)`);
    }
    if (adds.length) indexes.push(`alter table ${q(table)} ${adds.join(', ')}`);
    if (fks.length) foreignKeys.push(`alter table ${q(table)} ${fks.join(', ')}`);
  }
  return [...indexes, ...foreignKeys];
}
