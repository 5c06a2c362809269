import { unsupported } from './errors.js';

/**
 * Which functions a query may call. Names are compared canonically: case-folded (DuckDB resolves
 * function names case-insensitively, quoted or not, so `READ_CSV` and "Read_Csv" are read_csv),
 * and whatever their qualification (main.read_csv is read_csv).
 *
 * Table functions are an allow list, deny by default: DuckDB's file readers (read_csv, read_parquet,
 * read_json*, read_text, read_blob, parquet_scan, sniff_csv, glob, ...), query()/query_table(),
 * and catalog or settings introspection are never reachable. `read_files` is translated by us
 * under the volume grants into a per-statement temp view, so no file reader remains in a query.
 * Scalar functions that reveal or change the engine itself (settings, variables, sequences,
 * logging, DuckDB/Postgres catalog helpers) are refused, as is any name DuckDB knows as a table function.
 * Every other scalar name is a built-in computing on its arguments, or does not exist and DuckDB
 * answers UNRESOLVED_ROUTINE: no extension can load after start (engine.ts), so the set is fixed.
 */

/** Table functions a user's query may contain once translated (both compute, neither reads storage). */
export const USER_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'unnest']);

/** DuckDB-only scalar functions that introspect or change the engine: not Databricks SQL, never passed through. */
const ENGINE_ONLY = new Set([
  'current_setting',
  'current_query',
  'current_query_id',
  'current_connection_id',
  'current_transaction_id',
  'current_schemas',
  'current_role',
  'in_search_path',
  'txid_current',
  'pg_typeof',
  'getvariable',
  'set_variable',
  'nextval',
  'currval',
  'getenv',
  'enable_logging',
  'disable_logging',
  'write_log',
  'which_secret',
  'json_execute_serialized_sql',
]);
const ENGINE_PREFIXES = ['duckdb_', 'pragma_', 'pg_', 'has_'];

/** A function name as DuckDB resolves it: case-folded. */
export function canonicalFunctionName(name: string): string {
  return name.toLowerCase();
}

function engineOnly(fn: string): boolean {
  return ENGINE_ONLY.has(fn) || ENGINE_PREFIXES.some((p) => fn.startsWith(p));
}

/**
 * Refuses a call written in the user's query (before translation): DuckDB table functions
 * (`deniedTableFunctions`, everything DuckDB registers as a table function except
 * USER_TABLE_FUNCTIONS) and engine-only scalars. `written` is the name as the user spelled it.
 */
export function refuseCall(written: string, deniedTableFunctions: ReadonlySet<string>): void {
  const fn = canonicalFunctionName(written);
  if (deniedTableFunctions.has(fn)) throw unsupported(`the table function ${written}()`);
  if (engineOnly(fn)) throw unsupported(`the function ${fn}()`, 'It is specific to the DuckDB engine, not Databricks SQL.');
}

/**
 * A function call found in DuckDB's parse tree of the translated statement. The check goes by
 * name whatever the qualification (main.x, system.main.x): DuckDB's own rewrites qualify some
 * built-ins (main.like_escape), users cannot write qualified calls (refused as method calls), and
 * no schema holds anything but the built-ins.
 */
export interface TreeCall {
  name: string;
  /** a table function (FROM position) rather than a scalar or aggregate */
  table: boolean;
}

/**
 * The last word on the translated statement, over DuckDB's own parse tree: table functions must be
 * on the allow list; scalar calls may be neither engine-only nor a DuckDB table function.
 */
export function checkTreeCalls(calls: readonly TreeCall[], deniedTableFunctions: ReadonlySet<string>): void {
  for (const call of calls) {
    const fn = canonicalFunctionName(call.name);
    if (call.table) {
      if (!USER_TABLE_FUNCTIONS.has(fn)) throw unsupported(`the table function ${call.name}()`);
      continue;
    }
    if (deniedTableFunctions.has(fn)) throw unsupported(`the table function ${call.name}()`);
    if (engineOnly(fn)) throw unsupported(`the function ${fn}()`, 'It is specific to the DuckDB engine, not Databricks SQL.');
  }
}
