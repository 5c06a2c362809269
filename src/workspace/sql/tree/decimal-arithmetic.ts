import { quoteString, unsupported } from '../errors.js';
import { isNode, type Node, type SerializedStatement } from './json.js';
import { expressionName, probePlan, replace, selectListItems, type DecimalProbeEnv } from './plan-probe.js';
import { combine, literalType, sparkTypeOf, type SparkType } from './decimal-types.js';

/**
 * Decimal `+`, `-` and `*` answer Spark's result types (DecimalPrecision, allowPrecisionLoss, ANSI):
 * integral operands become DECIMAL(3|5|10|20,0) (a literal: its own digits), `*` is
 * DECIMAL(p1+p2+1, s1+s2), `+`/`-` DECIMAL(max(p1-s1,p2-s2)+max(s1,s2)+1, max(s1,s2)), beyond
 * precision 38 cut to 38 keeping min(s,6) decimals. DuckDB's own types differ, so the operand
 * types are learnt from DuckDB's bound plan of a marked copy (plan-probe.ts), DuckDB computes the
 * exact value at DECIMAL(38,·) and it is cast to Spark's type. What would round (precision above 38
 * with fewer decimals) or what DuckDB cannot compute exactly (decimal `%`) is refused by name.
 */

const MARKER = '__by_arith_probe_';
const BINARY = new Set(['+', '-', '*']);
const MODULO = '__by_mod';
const AGGREGATES = new Set(['sum', 'avg', 'mean']);

const fn = (o: Node): string => (typeof o.function_name === 'string' ? o.function_name.toLowerCase() : '');
const args = (o: Node): Node[] => (Array.isArray(o.children) ? (o.children as Node[]) : []);

/** An arithmetic operator whose result type this rewrite decides (unary minus keeps its operand's). */
function isArithmetic(o: Node): boolean {
  if (o.class !== 'FUNCTION') return false;
  if (o.is_operator === true && BINARY.has(fn(o))) return args(o).length === 2 || (fn(o) === '-' && args(o).length === 1);
  return fn(o) === MODULO && args(o).length === 2;
}

function isAggregateCall(o: Node): boolean {
  return (o.class === 'FUNCTION' || o.class === 'WINDOW') && o.is_operator !== true && AGGREGATES.has(fn(o)) && args(o).length === 1;
}

/** The operands below an arithmetic tree that are not arithmetic themselves. */
function leavesOf(root: Node, out: Node[] = []): Node[] {
  for (const c of args(root)) if (isArithmetic(c)) leavesOf(c, out);
  else out.push(c);
  return out;
}

/** The maximal arithmetic trees not yet rewritten, in walk order (an operator's operator operands are part of its tree). */
function clusters(node: unknown, done: WeakSet<Node>, out: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const x of node) clusters(x, done, out);
    return out;
  }
  if (!isNode(node)) return out;
  if (isArithmetic(node)) {
    if (!done.has(node)) out.push(node);
    for (const leaf of leavesOf(node)) clusters(leaf, done, out);
    return out;
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') clusters(v, done, out);
  return out;
}

function contains(node: unknown, test: (o: Node) => boolean): boolean {
  if (Array.isArray(node)) return node.some((x) => contains(x, test));
  if (!isNode(node)) return false;
  if (test(node)) return true;
  return Object.values(node).some((v) => v !== null && typeof v === 'object' && contains(v, test));
}

/** Rewrites decimal arithmetic of `statements` in place to Spark's result types; answers the macros the rewritten tree calls. */
export async function sparkDecimalArithmetic(statements: SerializedStatement[], env: DecimalProbeEnv): Promise<Set<string>> {
  const used = new Set<string>();
  const done = new WeakSet<Node>();
  // inner trees (inside a function that is an operand) first: their new types are the outer trees' operand types
  for (let round = 0; round < 16; round++) {
    const pending = clusters(statements, done);
    if (pending.length === 0) break;
    const ready = pending.filter((root) => !leavesOf(root).some((leaf) => contains(leaf, (o) => isArithmetic(o) && !done.has(o))));
    const probed = await probeOperands(statements, ready, env);
    const selected = selectListItems(statements);
    const replacements = new Map<Node, Node>();
    for (const root of ready) {
      // before the rewrite puts casts between the operators
      markDone(root, done);
      const rewritten = probed ? await rewriteTree(root, probed, selected.has(root), env, used) : await refuseAtRunTime(root, selected.has(root), env, used);
      if (rewritten !== root) replacements.set(root, rewritten);
    }
    if (replacements.size > 0) for (const s of statements) s.node = replace(s.node, replacements) as Node;
  }
  return used;
}

function markDone(root: Node, done: WeakSet<Node>): void {
  done.add(root);
  for (const c of args(root)) if (isArithmetic(c)) markDone(c, done);
}

/** Without a plan the operand types are unknown: a DECIMAL result is refused when the statement runs. */
async function refuseAtRunTime(root: Node, selected: boolean, env: DecimalProbeEnv, used: Set<string>): Promise<Node> {
  used.add('__by_decimal_arith');
  const name = String(root.alias ?? '') || (selected ? await expressionName(root, env) : '');
  root.alias = '';
  return env.templates.expr('__by_decimal_arith($0)', [root], name);
}

/**
 * The types of the operands the ready trees' leaves give (a direct sum()/avg() by its argument, whose
 * Spark type the aggregate rewrite then gives it), keyed by the leaf; undefined when DuckDB cannot bind the query.
 */
async function probeOperands(statements: SerializedStatement[], ready: Node[], env: DecimalProbeEnv): Promise<Map<Node, SparkType> | undefined> {
  // the probe is a copy: its nodes paired with the originals
  const marked: Node[] = [];
  for (const root of ready) for (const leaf of leavesOf(root)) if (!isConstant(leaf)) marked.push(leaf);
  if (marked.length === 0) return new Map();
  const index = new Map(marked.map((leaf, k) => [leaf, k]));
  const targets: Array<{ holder: Node[]; at: number; k: number; of: 'leaf' | 'argument' | 'nested' }> = [];
  const probe = structuredClone(statements);
  const cloneOf = pair(statements, probe);
  for (const [leaf, k] of index) {
    const copy = cloneOf.get(leaf);
    if (!copy) continue;
    if (isAggregateCall(copy)) targets.push({ holder: args(copy), at: 0, k, of: 'argument' });
    else {
      // aggregates inside a leaf (not the leaf itself): their argument types tell whether the leaf's type will change
      const inner: Node[] = [];
      collect(copy, isAggregateCall, inner);
      for (const call of inner) targets.push({ holder: args(call), at: 0, k, of: 'nested' });
      targets.push({ holder: [copy], at: 0, k, of: 'leaf' });
    }
  }
  // equal expressions get the same marker: a select-list item must still match its GROUP BY expression
  const markers = targets.map((target) => canonical(target.holder[target.at]!));
  const numbers = new Map([...new Set(markers)].map((m, k) => [m, k]));
  for (const [n, target] of targets.entries()) {
    const t = numbers.get(markers[n]!)!;
    const node = target.holder[target.at]!;
    // a leaf is changed in place (its parent is in the copy too): its content moves into the CASE
    const inner = target.of === 'leaf' ? { ...node, alias: '' } : node;
    const wrapped = await env.templates.expr(`CASE WHEN ${quoteString(`${MARKER}${t}`)} IS NOT NULL THEN $0 END`, [inner]);
    if (target.of !== 'leaf') target.holder[target.at] = wrapped;
    else {
      const alias = node.alias;
      for (const key of Object.keys(node)) delete node[key];
      Object.assign(node, wrapped, { alias });
    }
  }
  const plan = await probePlan(probe, env);
  if (plan === undefined) return undefined;
  const found = new Map<number, unknown>();
  collectMarked(plan, found);
  const types = new Map<Node, SparkType>();
  for (const leaf of marked) types.set(leaf, { kind: 'unknown' });
  for (const [n, target] of targets.entries()) {
    const leaf = marked[target.k]!;
    const type = sparkTypeOf(found.get(numbers.get(markers[n]!)!));
    if (target.of === 'nested') {
      if (type.kind === 'decimal') throw unsupported('DECIMAL arithmetic on an expression over sum() or avg() of DECIMAL values', 'Cast the aggregate, e.g. CAST(sum(x) AS DECIMAL(20,2)) * 2.');
      continue;
    }
    types.set(leaf, target.of === 'argument' ? aggregateType(fn(leaf), type) : type);
  }
  return types;
}

/** Spark's type of sum()/avg() of an argument of Spark type `arg` (sum/avg in decimal-aggregates.ts). */
function aggregateType(name: string, arg: SparkType): SparkType {
  if (arg.kind === 'decimal') {
    return name === 'sum' ? { kind: 'decimal', width: Math.min(38, arg.width + 10), scale: arg.scale } : { kind: 'decimal', width: Math.min(38, arg.width + 4), scale: Math.min(38, arg.scale + 4) };
  }
  if (arg.kind === 'integral') return name === 'sum' ? { kind: 'integral', width: 20 } : { kind: 'floating' };
  return arg;
}

/** An expression's tree without its source positions (equal expressions in different places print alike). */
function canonical(node: Node): string {
  return JSON.stringify(node, (key, value: unknown) => (key === 'query_location' ? undefined : value));
}

/** The same nodes in a structured clone (the walks visit both in the same order). */
function pair(a: unknown, b: unknown, out = new Map<Node, Node>()): Map<Node, Node> {
  if (Array.isArray(a) && Array.isArray(b)) {
    a.forEach((x, k) => pair(x, b[k], out));
    return out;
  }
  if (!isNode(a) || !isNode(b)) return out;
  out.set(a, b);
  for (const [k, v] of Object.entries(a)) if (v !== null && typeof v === 'object') pair(v, b[k], out);
  return out;
}

function collect(node: unknown, test: (o: Node) => boolean, out: Node[]): void {
  if (Array.isArray(node)) {
    for (const x of node) collect(x, test, out);
    return;
  }
  if (!isNode(node)) return;
  if (test(node)) out.push(node);
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') collect(v, test, out);
}

/** Each marked CASE's return type; a marker bound at several types is unknown. */
function collectMarked(node: unknown, found: Map<number, unknown>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectMarked(x, found);
    return;
  }
  if (!isNode(node)) return;
  if (node.expression_class === 'BOUND_CASE' && Array.isArray(node.case_checks)) {
    type Check = { when_expr?: { children?: Array<{ value?: { value?: unknown } }> } };
    const marker = (node.case_checks[0] as Check | undefined)?.when_expr?.children?.[0]?.value?.value;
    const m = typeof marker === 'string' ? new RegExp(`^${MARKER}(\\d+)$`).exec(marker) : null;
    if (m) {
      const k = Number(m[1]);
      const prior = found.get(k);
      found.set(k, prior === undefined || JSON.stringify(prior) === JSON.stringify(node.return_type) ? node.return_type : null);
    }
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') collectMarked(v, found);
}

function isConstant(o: Node): boolean {
  return o.class === 'CONSTANT';
}

/** The tree with every DECIMAL result cast to Spark's type (computed exactly at DECIMAL(38,·) first); the root keeps its column name. */
async function rewriteTree(root: Node, types: ReadonlyMap<Node, SparkType>, selected: boolean, env: DecimalProbeEnv, used: Set<string>): Promise<Node> {
  const original = selected && !root.alias ? structuredClone(root) : undefined;
  const { node, type } = await rewriteNode(root, types, env);
  if (type.kind !== 'unknown' && node === root) return root;
  const name = String(root.alias ?? '') || (original ? await expressionName(original, env) : '');
  root.alias = '';
  if (type.kind === 'unknown') {
    used.add('__by_decimal_arith');
    return env.templates.expr('__by_decimal_arith($0)', [node], name);
  }
  node.alias = name;
  return node;
}

async function rewriteNode(node: Node, types: ReadonlyMap<Node, SparkType>, env: DecimalProbeEnv): Promise<{ node: Node; type: SparkType }> {
  if (!isArithmetic(node)) return { node, type: isConstant(node) ? literalType(node) : (types.get(node) ?? { kind: 'unknown' }) };
  const operands = args(node);
  const rewritten = [];
  for (const operand of operands) rewritten.push(await rewriteNode(operand, types, env));
  node.children = rewritten.map((r) => r.node);
  if (rewritten.length === 1) {
    // unary minus keeps its operand's type (no longer a literal)
    const type = rewritten[0]!.type;
    return { node, type: type.kind === 'integral' ? { kind: 'integral', width: type.width } : type };
  }
  const [l, r] = rewritten as [{ node: Node; type: SparkType }, { node: Node; type: SparkType }];
  const op = fn(node) === MODULO ? '%' : fn(node);
  const type = combine(op, l.type, r.type);
  if (type.kind !== 'decimal') return { node, type };
  // DuckDB multiplies narrow decimals in 64 bits (it may overflow where Spark's type holds the value): widen first
  const widened = [];
  for (const operand of rewritten) {
    const scale = operand.type.kind === 'decimal' ? operand.type.scale : 0;
    widened.push(await env.templates.expr(`CAST($0 AS DECIMAL(38,${scale}))`, [operand.node]));
  }
  node.children = widened;
  return { node: await env.templates.expr(`CAST($0 AS DECIMAL(${type.width},${type.scale}))`, [node]), type };
}
