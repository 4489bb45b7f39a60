import type { Kysely } from 'kysely';

// Frozen in time: this file imports nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Back-office accounts. The e-mail is a login name; no data subject's data lives here.
  await db.schema
    .createTable('admin_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    // `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised later.
    .addColumn('password_hash', 'text')
    // AES-256-GCM of the TOTP secret (aad = user id); null when the account has no second factor.
    .addColumn('totp_secret', 'text')
    // The last TOTP time step accepted at login: a code is good once.
    .addColumn('totp_last_step', 'integer')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // One-time setup links: only the token's hash is kept; the TOTP secret offered waits here until setup.
  await db.schema
    .createTable('admin_setup_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admin_setup_tokens_user').on('admin_setup_tokens').column('user_id').execute();

  // Sessions by the hash of their cookie; `stage` is `totp` between the password and the second factor.
  await db.schema
    .createTable('admin_sessions')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admin_sessions_user').on('admin_sessions').column('user_id').execute();

  // Failed logins per account (keyed HMAC of the address, known or not) and per client (keyed HMAC of the IP).
  await db.schema
    .createTable('admin_login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['admin_login_throttle', 'admin_sessions', 'admin_setup_tokens', 'admin_users']) {
    await db.schema.dropTable(t).execute();
  }
}
