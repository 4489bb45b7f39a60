/**
 * A short group commit: rows handed in while the previous batch is written, or in the same turn of the
 * event loop, are written together in one transaction. Each caller's promise settles only when the
 * transaction holding its row has committed (or failed), so that nothing is acknowledged before it is
 * stored: a process that dies loses only rows it has not answered for.
 */
export class GroupCommit<Row> {
  #pending: Array<{ row: Row; resolve: () => void; reject: (err: unknown) => void }> = [];
  #running = false;

  constructor(
    /** Writes the rows in one transaction; resolves when it has committed. */
    private readonly write: (rows: Row[]) => Promise<void>,
    /** The most rows in one transaction. */
    private readonly maxRows = 256,
  ) {}

  /** Resolves when `row` is committed; rejects with the error of its transaction. */
  add(row: Row): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ row, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      // After the I/O of this turn: the requests that arrived together go in together.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.maxRows);
      try {
        await this.write(batch.map((b) => b.row));
        for (const b of batch) b.resolve();
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // One row that cannot be written must not take the others with it: each alone, then.
        else for (const b of batch) await this.write([b.row]).then(b.resolve, b.reject);
      }
    }
    this.#running = false;
  }
}
