import pg from 'pg';

/**
 * A throwaway database on the Postgres of BRICKYARD_TEST_DATABASE_URL (.ci/run sets it). Without
 * the variable the multi-process tests are skipped with a message, except under CI, where a
 * missing Postgres must fail loudly instead of passing silently.
 */
export const testDatabaseBaseUrl = process.env['BRICKYARD_TEST_DATABASE_URL'] || undefined;
export const postgresMissingInCi = !testDatabaseBaseUrl && Boolean(process.env['CI']);
export const SKIP_MESSAGE = 'multi-process run tests skipped: set BRICKYARD_TEST_DATABASE_URL to a Postgres URL (see .ci/start-postgres.sh)';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testDatabaseBaseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates a fresh database and returns its URL. */
export async function createTestDatabase(tag: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testDatabaseBaseUrl) throw new Error(SKIP_MESSAGE);
  const name = `brickyard_runs_${tag}_${process.pid}_${Date.now()}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(testDatabaseBaseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
