/**
 * Rows a bulk job adds before the first analyze it asks for: below this, reading the whole table costs
 * less than the analyze.
 */
export const FIRST_ANALYZE_AFTER = 10_000;

/**
 * PostgreSQL plans a statement from the statistics `analyze` collects; autovacuum collects them when it
 * runs, and it may be off (it is on the test machines) or lag behind a bulk job. A table never analyzed
 * has none: for `subject_ref in (…500 references…)` the planner then guesses that most of the table
 * matches and reads all of it, per statement. A retention run adds a register row per person it erases
 * and looks people up in that register every batch, so its batches grew slower as it went (13 ms a lookup
 * at 92,000 rows, 0.6 ms after an analyze).
 *
 * The returned function is told how many rows this process added to a table; it analyzes the table once
 * the rows added since its last analyze are at least as many as were added before it (and `first` at
 * least): each time this process's additions have doubled, a few times per run (six for a register that
 * grows to 460,000 rows), each reading a sample of at most 30,000 rows (`default_statistics_target`
 * 100 × 300). `analyze` takes a lock that neither reads nor writes wait for. A user that does not own the
 * table gets a warning from PostgreSQL and no analyze, not an error; an error (the connection lost) is
 * the caller's, and the count stands, so the next call tries again.
 */
export function statisticsKeeper(
  analyze: (table: string) => Promise<void>,
  first = FIRST_ANALYZE_AFTER,
): (table: string, rows: number) => Promise<void> {
  const added = new Map<string, { before: number; since: number }>();
  return async (table, rows) => {
    const counts = added.get(table) ?? { before: 0, since: 0 };
    added.set(table, counts);
    counts.since += rows;
    if (counts.since < Math.max(first, counts.before)) return;
    await analyze(table);
    counts.before += counts.since;
    counts.since = 0;
  };
}
