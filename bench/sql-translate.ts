/**
 * Translation overhead of the local SQL warehouse: the time `Session.compileQuery` takes to turn a
 * Databricks query into the DuckDB SQL it runs (translation, table resolution and authorization,
 * the ANSI rewrite, the defence-in-depth re-check), without running the query. Each statement gets
 * a fresh connection (as every statement does in the warehouse); only compileQuery is timed.
 * ~50 realistic statements (medallion queries, joins, windows, CTEs), each compiled ROUNDS times.
 * Run: npx tsx bench/sql-translate.ts [rounds] [--root <checkout>]
 * `--root` measures another checkout's translator with the same statements (e.g. the code before
 * a change, in a second worktree); its modules are imported from that path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DuckDBInstance } from '@duckdb/node-api';
import type * as Logger from '../src/core/logger.js';
import type * as Server from '../src/workspace/server.js';
import type * as SqlServiceModule from '../src/workspace/services/sql/index.js';
import type * as UcServiceModule from '../src/workspace/services/uc/index.js';
import type * as IdentityStore from '../src/workspace/services/identity/store.js';
import type * as Parse from '../src/workspace/sql/parse.js';
import type * as SessionModule from '../src/workspace/sql/session.js';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const ROOT = rootAt >= 0 ? resolve(args[rootAt + 1] ?? '.') : resolve(new URL('..', import.meta.url).pathname);
const ROUNDS = Number(args.find((a, k) => /^\d+$/.test(a) && args[k - 1] !== '--root') ?? 10);
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(ROOT, path)).href) as Promise<T>;
const { silentLogger } = await load<typeof Logger>('src/core/logger.ts');
const { startWorkspace } = await load<typeof Server>('src/workspace/server.ts');
const { sqlService } = await load<typeof SqlServiceModule>('src/workspace/services/sql/index.ts');
const { ucService } = await load<typeof UcServiceModule>('src/workspace/services/uc/index.ts');
const { authenticate } = await load<typeof IdentityStore>('src/workspace/services/identity/store.ts');
const { parseStatement } = await load<typeof Parse>('src/workspace/sql/parse.ts');
const { Session } = await load<typeof SessionModule>('src/workspace/sql/session.ts');
const ADMIN = 'bench@example.com';

const SETUP = [
  'CREATE SCHEMA main.bronze',
  'CREATE SCHEMA main.silver',
  'CREATE SCHEMA main.gold',
  'CREATE TABLE main.bronze.orders (id BIGINT, customer STRING, category STRING, amount DOUBLE, ordered_at TIMESTAMP, express BOOLEAN, raw STRING)',
  'CREATE TABLE main.silver.customers (id BIGINT, name STRING, country STRING, signup DATE, email STRING)',
  'CREATE TABLE main.silver.orders (id BIGINT, customer_id BIGINT, category STRING, amount DECIMAL(12,2), ordered_at TIMESTAMP, status STRING)',
  'CREATE TABLE main.gold.daily_sales (day DATE, category STRING, revenue DOUBLE, orders BIGINT)',
];

/** Statements every translator version answers (the bench compares like with like). */
export const STATEMENTS = [
  'SELECT * FROM main.bronze.orders',
  'SELECT id, customer, amount FROM main.bronze.orders WHERE id = 42',
  'SELECT count(*) FROM main.bronze.orders',
  "SELECT category, sum(amount) AS total FROM main.bronze.orders WHERE ordered_at >= '2024-01-01' GROUP BY category ORDER BY total DESC",
  'SELECT category, count(*), avg(amount), min(amount), max(amount) FROM main.bronze.orders GROUP BY category',
  'SELECT DISTINCT category FROM main.bronze.orders ORDER BY category',
  "SELECT id, upper(trim(customer)) AS customer, CAST(amount AS DECIMAL(12,2)) AS amount, to_date(ordered_at) AS day FROM main.bronze.orders WHERE customer IS NOT NULL AND amount > 0",
  "SELECT id, coalesce(customer, 'unknown') AS customer, nvl(category, 'none') FROM main.bronze.orders",
  "SELECT o.id, c.name, o.amount FROM main.silver.orders o JOIN main.silver.customers c ON o.customer_id = c.id WHERE c.country = 'FR'",
  'SELECT o.id, c.name FROM main.silver.orders o LEFT JOIN main.silver.customers c ON o.customer_id = c.id',
  'SELECT c.country, count(DISTINCT o.id) AS orders, sum(o.amount) AS revenue FROM main.silver.customers c JOIN main.silver.orders o ON o.customer_id = c.id GROUP BY c.country HAVING count(*) > 10',
  'SELECT * FROM main.silver.customers c WHERE EXISTS (SELECT 1 FROM main.silver.orders o WHERE o.customer_id = c.id)',
  'SELECT * FROM main.silver.customers WHERE id IN (SELECT customer_id FROM main.silver.orders WHERE status = \'shipped\')',
  'SELECT * FROM main.silver.customers WHERE id NOT IN (SELECT customer_id FROM main.silver.orders)',
  'SELECT name, (SELECT count(*) FROM main.silver.orders o WHERE o.customer_id = c.id) AS n FROM main.silver.customers c',
  'WITH recent AS (SELECT * FROM main.silver.orders WHERE ordered_at > current_timestamp() - INTERVAL 7 DAYS) SELECT category, count(*) FROM recent GROUP BY category',
  'WITH a AS (SELECT customer_id, sum(amount) AS s FROM main.silver.orders GROUP BY customer_id), b AS (SELECT * FROM a WHERE s > 100) SELECT c.name, b.s FROM b JOIN main.silver.customers c ON c.id = b.customer_id',
  'WITH t AS (SELECT id, amount FROM main.silver.orders) SELECT x.id FROM t x JOIN t y ON x.id = y.id',
  'SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC) AS rn FROM main.silver.orders',
  'SELECT id, rank() OVER (PARTITION BY category ORDER BY amount DESC) AS r, dense_rank() OVER (ORDER BY amount) AS d FROM main.silver.orders',
  'SELECT id, lag(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS prev, lead(amount, 1) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS next FROM main.silver.orders',
  'SELECT id, sum(amount) OVER (PARTITION BY customer_id ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM main.silver.orders',
  'SELECT id, avg(CAST(amount AS DOUBLE)) OVER (ORDER BY ordered_at ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS ma7 FROM main.silver.orders',
  'SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY ordered_at DESC) AS rn FROM main.bronze.orders) WHERE rn = 1',
  'SELECT * FROM main.bronze.orders QUALIFY row_number() OVER (PARTITION BY id ORDER BY ordered_at DESC) = 1',
  "SELECT date_trunc('MONTH', ordered_at) AS month, sum(amount) FROM main.bronze.orders GROUP BY 1 ORDER BY 1",
  "SELECT year(ordered_at) AS y, month(ordered_at) AS m, count(*) FROM main.bronze.orders GROUP BY year(ordered_at), month(ordered_at)",
  'SELECT id, datediff(current_date(), to_date(ordered_at)) AS age_days FROM main.bronze.orders',
  'SELECT id, date_add(to_date(ordered_at), 30) AS due FROM main.bronze.orders',
  "SELECT id, CASE WHEN amount > 100 THEN 'big' WHEN amount > 10 THEN 'medium' ELSE 'small' END AS size FROM main.bronze.orders",
  "SELECT id, concat(customer, '-', category) AS k FROM main.bronze.orders",
  "SELECT id, concat_ws('|', customer, category) FROM main.bronze.orders",
  "SELECT id, regexp_replace(customer, '[^a-z]', '') AS clean FROM main.bronze.orders",
  "SELECT id, substring(customer, 1, 3), length(customer), lower(category) FROM main.bronze.orders",
  'SELECT id, round(amount, 2), floor(amount), ceil(amount) FROM main.bronze.orders',
  'SELECT category, sum(CASE WHEN express THEN 1 ELSE 0 END) AS express_orders FROM main.bronze.orders GROUP BY category',
  "SELECT id FROM main.bronze.orders WHERE customer LIKE 'cust_1%' AND category IN ('books', 'games')",
  'SELECT id FROM main.bronze.orders WHERE amount BETWEEN 10 AND 20 ORDER BY id LIMIT 100',
  'SELECT id, amount / 2 AS half, amount % 3 AS r FROM main.bronze.orders',
  'SELECT id, try_divide(amount, 0) FROM main.bronze.orders',
  'SELECT category, collect_list(id) AS ids FROM main.bronze.orders GROUP BY category',
  'SELECT customer, count_if(express) FROM main.bronze.orders GROUP BY customer',
  'SELECT id FROM main.silver.orders UNION ALL SELECT id FROM main.bronze.orders',
  'SELECT customer_id FROM main.silver.orders INTERSECT SELECT id FROM main.silver.customers',
  'SELECT * EXCEPT (raw) FROM main.bronze.orders',
  'SELECT day, category, revenue, revenue / sum(revenue) OVER (PARTITION BY day) AS share FROM main.gold.daily_sales',
  'SELECT current_catalog(), current_schema(), current_user()',
  "SELECT id, CAST(ordered_at AS DATE) AS d, CAST(id AS STRING) AS s FROM main.bronze.orders",
  "SELECT to_date(ordered_at) AS day, category, sum(amount) AS revenue, count(*) AS orders FROM main.bronze.orders WHERE amount IS NOT NULL GROUP BY to_date(ordered_at), category",
  "SELECT c.country, o.category, sum(o.amount) FROM main.silver.orders o JOIN main.silver.customers c ON c.id = o.customer_id WHERE o.status <> 'cancelled' AND c.signup >= DATE'2023-01-01' GROUP BY ALL",
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-bench-sql-translate-'));
  const ws = await startWorkspace({ stateDir, port: 0, services: [ucService, sqlService], adminUserName: ADMIN, logger: silentLogger });
  try {
    const engine = ws.ctx.services.sql.require().engine;
    const admin = await authenticate(ws.ctx, ws.initialAdminToken ?? (await ws.mintTokenFor(ADMIN)));
    if (!admin) throw new Error('no admin principal');
    const options = { principal: admin, catalog: 'main', schema: 'default', params: new Map() };
    for (const s of SETUP) await engine.execute(s, options);
    // the engine's DuckDB instance and table-function deny list, as each statement's Session gets them
    const internals = engine as unknown as { instance: DuckDBInstance; deniedTableFunctions: ReadonlySet<string> };
    const timings: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      for (const text of STATEMENTS) {
        const conn = await internals.instance.connect();
        try {
          const session = new Session(ws.ctx, conn, options, internals.deniedTableFunctions);
          const started = performance.now();
          const st = parseStatement(text);
          if (st.kind !== 'query') throw new Error(`not a query: ${text}`);
          await session.compileQuery(st.body);
          // round 0 warms caches (DuckDB's catalog, macros, prepared templates) and is not counted
          if (round > 0) timings.push(performance.now() - started);
        } catch (err) {
          throw new Error(`${text}: ${(err as Error).message}`);
        } finally {
          conn.closeSync();
        }
      }
    }
    console.log(`SQL translation overhead (parse + compileQuery), ${STATEMENTS.length} statements × ${ROUNDS} rounds, node ${process.version}, code at ${ROOT}`);
    console.log('');
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| per statement | p50 ${percentile(timings, 50).toFixed(2)} ms, p99 ${percentile(timings, 99).toFixed(2)} ms, mean ${(timings.reduce((a, b) => a + b, 0) / timings.length).toFixed(2)} ms |`);
  } finally {
    await ws.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
