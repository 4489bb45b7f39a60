/**
 * How a test runs `inzage` as a process of its own: the release in dist/, the way production runs it
 * (bin/inzage.js builds it from the sources first when they changed since, as `npm start` does, and
 * `npm test` builds it before the tests). Starting the release takes a fraction of the time the sources
 * need through tsx, and the crash tests start hundreds of processes. INZAGE_TEST_RUN_FROM=source runs the
 * TypeScript sources instead, e.g. to debug one test without building.
 */
export const RUN_FROM: 'source' | 'release' = process.env.INZAGE_TEST_RUN_FROM === 'source' ? 'source' : 'release';
