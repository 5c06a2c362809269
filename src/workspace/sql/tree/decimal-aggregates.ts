import { quoteString, unsupported } from '../errors.js';
import { children, isNode, type Node, type SerializedStatement } from './json.js';
import { decimalOf, expressionName, probePlan, replace, selectListItems, type DecimalProbeEnv, type DecimalType } from './plan-probe.js';

/**
 * sum() of a DECIMAL(p,s) is DECIMAL(min(38, p+10), s) in Databricks (Spark); DuckDB answers
 * DECIMAL(38, s). The rewrite runs before types are known, so the finished query is bound once by
 * DuckDB itself (json_serialize_plan, nothing runs) with every call's argument marked by a
 * constant (a CASE of the same type): the bound plan gives each marked call's argument type.
 * Decimal sums are then cast to Spark's type (a sum beyond it fails as Spark's ARITHMETIC_OVERFLOW does). A sum whose
 * argument type the plan does not tell keeps DuckDB's answer unless the argument is a DECIMAL at
 * run time, which is refused by name (__by_sum_arg in ansi.ts).
 * avg() of a DECIMAL(p,s) is Spark's DECIMAL(p+4, s+4), the quotient rounded half up (computed
 * exactly on the sum's digits and the count); a DECIMAL beyond AVG_MAX_PRECISION / AVG_MAX_SCALE
 * is refused before running, and one the plan does not show at run time (__by_avg_arg).
 */

export type DecimalAggregateEnv = DecimalProbeEnv;

/** per marked call: its argument's DECIMAL type, null for another type, undefined if unknown */
type ArgType = DecimalType | null | undefined;

const MARKER = '__by_aggregate_probe_';
/**
 * Spark divides the exact sum by the count rounding half up at scale 39, then again at s+4; below
 * these bounds the first rounding can never move the second (that would take over 10^19 rows).
 */
const AVG_MAX_PRECISION = 34;
const AVG_MAX_SCALE = 15;

/** Rewrites the user's sum() calls of `statements` in place (refuses avg() of DECIMALs); answers the macros the rewritten tree calls. */
export async function sparkDecimalAggregates(statements: SerializedStatement[], env: DecimalAggregateEnv): Promise<Set<string>> {
  const used = new Set<string>();
  if (aggregateCalls(statements).length === 0) return used;
  const types = await probeArgumentTypes(statements, env);
  const calls = aggregateCalls(statements);
  const selected = selectListItems(statements);
  const pivoted = pivotAggregates(statements);
  const replacements = new Map<Node, Node>();
  for (const [k, call] of calls.entries()) {
    const type = types[k];
    if (type === null) continue;
    if (functionName(call) !== 'sum') {
      if (type) {
        // Spark's average is computed from two aggregates here; a PIVOT takes exactly one
        if (pivoted.has(call)) throw unsupported('avg() of DECIMAL values in PIVOT', 'Use avg(CAST(x AS DOUBLE)).');
        replacements.set(call, await sparkDecimalAvg(call, type, selected.has(call), env));
        used.add('__by_avg_decimal');
      }
      continue;
    }
    if (type === undefined) {
      // the argument's type is unknown here: a DECIMAL one is refused when the sum runs
      const arg = (call.children as Node[])[0]!;
      (call.children as Node[])[0] = await env.templates.expr('__by_sum_arg($0)', [arg], String(arg.alias ?? ''));
      used.add('__by_sum_arg');
      continue;
    }
    const width = Math.min(38, type.width + 10);
    // DuckDB's DECIMAL(38, s) already is Spark's type when p + 10 >= 38
    if (width === 38) continue;
    replacements.set(call, await sparkDecimalSum(call, { width, scale: type.scale }, selected.has(call), env));
    used.add('__by_sum_fits');
  }
  if (replacements.size > 0) for (const s of statements) s.node = replace(s.node, replacements) as Node;
  return used;
}

/**
 * CAST(sum AS DECIMAL(w,s)), failing as Spark does when the sum does not fit; a select-list item
 * keeps the name DuckDB gave the sum (an alias elsewhere would make it a named argument).
 */
async function sparkDecimalSum(call: Node, type: DecimalType, selected: boolean, env: DecimalAggregateEnv): Promise<Node> {
  const alias = String(call.alias ?? '') || (selected ? await expressionName(call, env) : '');
  call.alias = '';
  // one aggregate in the expression (PIVOT takes no more); the bound is typed as DuckDB's sum is
  const bound = `CAST('1${'0'.repeat(type.width - type.scale)}' AS DECIMAL(38,${type.scale}))`;
  return env.templates.expr(`CAST(__by_sum_fits($0, ${bound}) AS DECIMAL(${type.width},${type.scale}))`, [call], alias);
}

/** avg(x) → Spark's decimal average of sum(x) and count(x) (same DISTINCT, FILTER and window). */
async function sparkDecimalAvg(call: Node, type: DecimalType, selected: boolean, env: DecimalAggregateEnv): Promise<Node> {
  if (type.width > AVG_MAX_PRECISION || type.scale > AVG_MAX_SCALE) {
    throw unsupported(`avg() of DECIMAL values of precision above ${AVG_MAX_PRECISION} or scale above ${AVG_MAX_SCALE}`, 'Use avg(CAST(x AS DOUBLE)).');
  }
  // the argument without the run-time refusal rewriteAnsi put around it
  const wrapped = (call.children as Node[])[0]!;
  const arg = wrapped.class === 'FUNCTION' && wrapped.function_name === '__by_avg_arg' ? children(wrapped)[0]! : wrapped;
  const as = (name: string): Node => ({ ...structuredClone(call), function_name: name, children: [structuredClone(arg)], alias: '' });
  const alias = String(call.alias ?? '') || (selected ? await expressionName(as(functionName(call)), env) : '');
  const scale = type.scale + 4;
  const unit = `0.${'0'.repeat(scale - 1)}1`;
  return env.templates.expr(`CAST(CAST(__by_avg_decimal($0, $1) AS DECIMAL(38,0)) * CAST('${unit}' AS DECIMAL(${scale},${scale})) AS DECIMAL(${type.width + 4},${scale}))`, [as('sum'), as('count')], alias);
}

/** The user's sum(x) and avg(x) calls (aggregate and window), in a fixed walk order. */
function aggregateCalls(node: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const x of node) aggregateCalls(x, out);
    return out;
  }
  if (!isNode(node)) return out;
  if (isAggregateCall(node)) out.push(node);
  for (const v of Object.values(node)) aggregateCalls(v, out);
  return out;
}

const AGGREGATES = new Set(['sum', 'avg', 'mean']);
const functionName = (o: Node): string => (typeof o.function_name === 'string' ? o.function_name.toLowerCase() : '');

/** The aggregates PIVOT clauses compute. */
function pivotAggregates(node: unknown, out = new Set<Node>()): Set<Node> {
  if (Array.isArray(node)) {
    for (const x of node) pivotAggregates(x, out);
    return out;
  }
  if (!isNode(node)) return out;
  if (node.type === 'PIVOT' && Array.isArray(node.aggregates)) for (const item of node.aggregates) if (isNode(item)) out.add(item);
  for (const v of Object.values(node)) pivotAggregates(v, out);
  return out;
}

function isAggregateCall(o: Node): boolean {
  if (o.class !== 'FUNCTION' && o.class !== 'WINDOW') return false;
  if (!AGGREGATES.has(functionName(o))) return false;
  if (o.class === 'FUNCTION' && (o.is_operator === true || (o.schema !== '' && o.schema !== 'main'))) return false;
  return Array.isArray(o.children) && o.children.length === 1;
}

/** Each call's argument type, from DuckDB's bound plan of a marked copy of the query. */
async function probeArgumentTypes(statements: SerializedStatement[], env: DecimalAggregateEnv): Promise<ArgType[]> {
  const probe = structuredClone(statements);
  const calls = aggregateCalls(probe);
  for (const [k, call] of calls.entries()) {
    // a CASE that keeps the argument's type and names the call (a FILTER would not survive PIVOT's own)
    const args = call.children as Node[];
    args[0] = await env.templates.expr(`CASE WHEN ${quoteString(`${MARKER}${k}`)} IS NOT NULL THEN $0 END`, [args[0]!]);
  }
  const plan = await probePlan(probe, env);
  const types: ArgType[] = calls.map(() => undefined);
  const seen = new Set<number>();
  if (plan !== undefined) collectTypes(plan, types, seen);
  // a call the plan does not show (never bound) is unknown; one bound at several types too
  return types;
}

function collectTypes(node: unknown, types: ArgType[], seen: Set<number>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectTypes(x, types, seen);
    return;
  }
  if (!isNode(node)) return;
  if ((node.expression_class === 'BOUND_AGGREGATE' || node.expression_class === 'BOUND_WINDOW') && typeof node.name === 'string' && AGGREGATES.has(node.name)) {
    const arg = (node.children as Array<{ return_type?: unknown }> | undefined)?.[0];
    const m = new RegExp(`${MARKER}(\\d+)`).exec(JSON.stringify(arg ?? null));
    if (m && arg) {
      const k = Number(m[1]);
      const type = decimalOf(arg.return_type);
      if (seen.has(k) && !sameType(types[k], type)) types[k] = undefined;
      else if (!seen.has(k)) types[k] = type;
      seen.add(k);
    }
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') collectTypes(v, types, seen);
}

function sameType(a: ArgType, b: ArgType): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === null || b === null) return a === b;
  return a.width === b.width && a.scale === b.scale;
}
