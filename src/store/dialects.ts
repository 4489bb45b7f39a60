import type { DatabaseConnection, Dialect, Driver, TransactionSettings } from 'kysely';

/**
 * A Kysely dialect whose failed rollback never hides why its transaction failed. Kysely rolls back
 * when a transaction's callback throws, and a rollback that throws replaces the callback's error.
 * SQLite itself ends a transaction on SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY or SQLITE_NOMEM, so the
 * rollback then fails with "cannot rollback - no transaction is active" and the log said that instead
 * of "database or disk is full". On a server (PostgreSQL, MySQL) a rollback fails when the connection
 * is gone, and the server ends the transaction with it: the error worth reporting is the first one.
 *
 * `inTransaction` (SQLite: better-sqlite3's own flag) says whether there is anything to roll back; a
 * rollback of an open transaction that fails is still thrown there, since the connection would stay
 * inside it. Without it (servers) a failed rollback is dropped and the callback's error goes on.
 */
export function keepTransactionErrors(dialect: Dialect, inTransaction?: () => boolean): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new CauseKeepingDriver(dialect.createDriver(), inTransaction),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

class CauseKeepingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly inTransaction?: () => boolean,
  ) {}

  init = () => this.inner.init();
  acquireConnection = () => this.inner.acquireConnection();
  beginTransaction = (c: DatabaseConnection, s: TransactionSettings) => this.inner.beginTransaction(c, s);
  commitTransaction = (c: DatabaseConnection) => this.inner.commitTransaction(c);
  releaseConnection = (c: DatabaseConnection) => this.inner.releaseConnection(c);
  destroy = () => this.inner.destroy();

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.inTransaction) {
      if (this.inTransaction()) await this.inner.rollbackTransaction(connection);
      return;
    }
    await this.inner.rollbackTransaction(connection).catch(() => {});
  }
}
