import { quoteIdent, SqlError } from './errors.js';
import { tokensText } from './exec-dml.js';
import type { MergeClause } from './parse-merge.js';
import { describeQuery } from './result.js';
import type { Session } from './session.js';
import type { Token } from './tokens.js';
import { assemble, type Piece } from './translate.js';
import { deserialize, isNode, serialize, type Node } from './tree/json.js';

/**
 * Delta resolves a WHEN NOT MATCHED BY SOURCE clause against the target alone (there is no source
 * row) and a WHEN NOT MATCHED [BY TARGET] clause against the source alone (there is no target
 * row); a name of the other side is DELTA_MERGE_UNRESOLVED_EXPRESSION. The joined query the
 * executor runs sees both sides, where such a name would read NULL: each of these clauses'
 * expressions is bound (never run) against its side alone first.
 */

export interface MergeSide {
  /** the relation (a view or a parenthesised query) and the name the clauses know it by */
  relation: Piece[];
  ref: string;
  /** what Delta lists as the columns it could resolve against (alias.column) */
  columns: () => Promise<string[]>;
}

interface ClauseExpression {
  tokens: Token[];
  /** where Delta says the expression is: UPDATE condition, INSERT clause, ... */
  place: string;
}

function expressionsOf(clause: MergeClause): ClauseExpression[] {
  const typ = clause.action.toUpperCase();
  const out: ClauseExpression[] = clause.condition ? [{ tokens: clause.condition, place: `${typ} condition` }] : [];
  if (clause.action === 'update' && clause.assignments !== '*') for (const a of clause.assignments) out.push({ tokens: a.expr, place: `${typ} clause` });
  if (clause.action === 'insert' && clause.values !== '*') for (const v of clause.values) out.push({ tokens: v, place: `${typ} clause` });
  return out;
}

/** Fails as Delta does when a clause of `clause.when` names a column of the side it cannot see. */
export async function checkMergeClauseScope(session: Session, clauses: readonly MergeClause[], target: MergeSide, source: MergeSide): Promise<void> {
  for (const clause of clauses) {
    if (clause.when === 'matched') continue;
    const side = clause.when === 'notMatchedBySource' ? target : source;
    const expressions = expressionsOf(clause);
    if (expressions.length === 0) continue;
    const translated: Piece[][] = [];
    for (const e of expressions) translated.push(await session.translate(e.tokens));
    // one bind for the whole clause; the failing expression is looked for only when it fails
    if ((await unresolved(session, translated, side)) === undefined) continue;
    for (const [k, e] of expressions.entries()) {
      const name = await unresolved(session, [translated[k]!], side);
      if (name !== undefined) {
        throw new SqlError('DELTA_MERGE_UNRESOLVED_EXPRESSION', `Cannot resolve ${unresolvedText(e.tokens, name)} in ${e.place} given columns ${(await side.columns()).join(', ')}.`, 'BAD_REQUEST', '42601');
      }
    }
  }
}

/** The column or qualifier DuckDB could not resolve when `exprs` see `side` alone, or undefined. */
async function unresolved(session: Session, exprs: Piece[][], side: MergeSide): Promise<{ table?: string; column?: string } | undefined> {
  const list = exprs.flatMap((e, k) => [...(k > 0 ? [{ text: ',' }] : []), { text: '(' }, ...e, { text: ')' }]);
  const sql = await session.resolveTables([{ text: 'SELECT' }, ...list, { text: 'FROM' }, ...side.relation, { text: `AS ${side.ref}` }]);
  try {
    await describeQuery(session, sql);
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    const m = /Referenced (table|column) "([^"]*)" not found/.exec(message);
    if (!(err instanceof SqlError) || !m) throw err;
    return m[1] === 'table' ? { table: m[2]! } : { column: m[2]! };
  }
}

/** `s.v` for an unknown qualifier s, the column name for an unknown column (as Delta names the attribute). */
function unresolvedText(tokens: readonly Token[], name: { table?: string; column?: string }): string {
  if (name.column !== undefined) return name.column;
  const k = tokens.findIndex((t, i) => (t.kind === 'ident' || t.kind === 'qident') && t.value.toLowerCase() === name.table?.toLowerCase() && tokens[i + 1]?.kind === 'op' && tokens[i + 1]?.value === '.');
  const column = k >= 0 ? tokens[k + 2] : undefined;
  return column && (column.kind === 'ident' || column.kind === 'qident') ? `${tokens[k]!.value}.${column.value}` : tokensText(tokens);
}

/** A side of the MERGE: `relation` known as `name` in the clauses. */
export function mergeSide(session: Session, relation: Piece[], name: string): MergeSide {
  const ref = quoteIdent(name);
  return {
    relation,
    ref,
    columns: async () => {
      const sql = await session.resolveTables([{ text: 'SELECT * FROM' }, ...relation, { text: `AS ${ref}` }]);
      return (await describeQuery(session, sql)).map((c) => `${name}.${c.name}`);
    },
  };
}

/**
 * A NOT MATCHED [BY SOURCE] clause's expression with its one-part column names qualified by the
 * side it sees (`name`): in the joined query a name both sides have would be ambiguous, and Delta
 * resolves it against that side. Names in subqueries and lambda parameters are left alone.
 */
export async function qualifyForSide(session: Session, expr: Piece[], name: string): Promise<Piece[]> {
  const [statement] = await serialize(session.conn, `SELECT ${assemble(expr).sql}`);
  const item = (statement?.node.select_list as Node[] | undefined)?.[0];
  if (!statement || !item) return expr;
  if (!qualifyColumns(item, name, new Set())) return expr;
  const sql = await deserialize(session.conn, [statement]);
  return [{ text: `(${sql.slice('SELECT '.length)})` }];
}

/** Qualifies one-part column references in place; answers whether it changed any. */
function qualifyColumns(node: unknown, name: string, lambdaParams: ReadonlySet<string>): boolean {
  if (Array.isArray(node)) return node.map((x) => qualifyColumns(x, name, lambdaParams)).some(Boolean);
  if (!isNode(node) || node.class === 'SUBQUERY') return false;
  if (node.class === 'COLUMN_REF') {
    const parts = node.column_names as string[];
    if (parts.length !== 1 || lambdaParams.has(parts[0]!.toLowerCase())) return false;
    node.column_names = [name, parts[0]!];
    return true;
  }
  if (node.class === 'LAMBDA') {
    const params = new Set(lambdaParams);
    collectColumnNames(node.lhs, params);
    return qualifyColumns(node.expr, name, params);
  }
  return Object.values(node).map((v) => (v !== null && typeof v === 'object' ? qualifyColumns(v, name, lambdaParams) : false)).some(Boolean);
}

function collectColumnNames(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((x) => collectColumnNames(x, out));
  if (!isNode(node)) return;
  if (node.class === 'COLUMN_REF') for (const p of node.column_names as string[]) out.add(p.toLowerCase());
  for (const v of Object.values(node)) collectColumnNames(v, out);
}
