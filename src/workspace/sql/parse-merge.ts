import { SqlError, unsupported } from './errors.js';
import type { Token, TokenCursor } from './tokens.js';

/**
 * MERGE INTO target [[AS] t] USING source [[AS] s] ON cond WHEN … clauses (Databricks syntax).
 * Conditions and values stay token ranges, translated by the executor (exec-merge.ts).
 */

export interface MergeAssignment {
  column: string;
  expr: Token[];
}

export type MergeClause =
  | { when: 'matched'; condition?: Token[]; action: 'update'; assignments: MergeAssignment[] | '*' }
  | { when: 'matched'; condition?: Token[]; action: 'delete' }
  | { when: 'notMatched'; condition?: Token[]; action: 'insert'; columns?: string[]; values: Token[][] | '*' }
  | { when: 'notMatchedBySource'; condition?: Token[]; action: 'update'; assignments: MergeAssignment[] }
  | { when: 'notMatchedBySource'; condition?: Token[]; action: 'delete' };

export interface MergeStatement {
  kind: 'merge';
  target: string[];
  targetAlias?: string;
  /** a table name, or the tokens of a parenthesised query */
  source: { table: string[] } | { query: Token[] };
  sourceAlias?: string;
  on: Token[];
  clauses: MergeClause[];
}

/** Tokens up to one of `stops` (keywords or operators) at parenthesis depth 0. */
function until(cur: TokenCursor, stops: readonly string[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  while (!cur.atEnd()) {
    const t = cur.peek();
    if (depth === 0 && ((t.kind === 'ident' && stops.includes(t.upper)) || (t.kind === 'op' && stops.includes(t.value)))) break;
    if (t.kind === 'op' && t.value === '(') depth++;
    if (t.kind === 'op' && t.value === ')') depth--;
    if (depth < 0) break;
    out.push(cur.next());
  }
  return out;
}

function nonEmpty(tokens: Token[], cur: TokenCursor, what: string): Token[] {
  if (tokens.length === 0) throw cur.unexpected(what);
  return tokens;
}

/** An optional alias: AS name, or a bare name that is not one of `stops`. */
function alias(cur: TokenCursor, stops: readonly string[]): string | undefined {
  if (cur.accept('AS')) return cur.identifier('an alias');
  const t = cur.peek();
  if ((t.kind === 'ident' && !stops.includes(t.upper)) || t.kind === 'qident') return cur.identifier('an alias');
  return undefined;
}

function assignments(cur: TokenCursor): MergeAssignment[] {
  const out: MergeAssignment[] = [];
  do {
    const target = cur.qualifiedName('a column name');
    if (target.length > 2) throw unsupported('updating nested struct fields in MERGE');
    cur.expectOp('=');
    out.push({ column: target[target.length - 1]!, expr: nonEmpty(until(cur, [',', 'WHEN']), cur, 'an expression') });
  } while (cur.acceptOp(','));
  return out;
}

function insertAction(cur: TokenCursor): { columns?: string[]; values: Token[][] | '*' } {
  if (cur.acceptOp('*')) return { values: '*' };
  let columns: string[] | undefined;
  if (cur.acceptOp('(')) {
    columns = [];
    do columns.push(cur.identifier('a column name'));
    while (cur.acceptOp(','));
    cur.expectOp(')');
  }
  cur.expect('VALUES');
  cur.expectOp('(');
  const values: Token[][] = [];
  do values.push(nonEmpty(until(cur, [',', ')']), cur, 'a value'));
  while (cur.acceptOp(','));
  cur.expectOp(')');
  if (columns && columns.length !== values.length) {
    throw new SqlError('INSERT_COLUMN_ARITY_MISMATCH', `The MERGE INSERT clause names ${columns.length} columns but gives ${values.length} values.`, 'BAD_REQUEST', '21S01');
  }
  return columns ? { columns, values } : { values };
}

function clause(cur: TokenCursor): MergeClause {
  cur.expect('WHEN');
  let when: MergeClause['when'] = 'matched';
  if (cur.accept('NOT', 'MATCHED')) {
    when = 'notMatched';
    if (cur.accept('BY', 'SOURCE')) when = 'notMatchedBySource';
    else cur.accept('BY', 'TARGET');
  } else cur.expect('MATCHED');
  const condition = cur.accept('AND') ? nonEmpty(until(cur, ['THEN']), cur, 'a condition') : undefined;
  cur.expect('THEN');
  const cond = condition ? { condition } : {};
  if (when === 'notMatched') {
    cur.expect('INSERT');
    return { when, ...cond, action: 'insert', ...insertAction(cur) };
  }
  if (cur.accept('DELETE')) return { when, ...cond, action: 'delete' };
  cur.expect('UPDATE');
  cur.expect('SET');
  if (cur.acceptOp('*')) {
    if (when === 'notMatchedBySource') throw new SqlError('PARSE_SYNTAX_ERROR', 'UPDATE SET * is not allowed in WHEN NOT MATCHED BY SOURCE (there is no source row).');
    return { when, ...cond, action: 'update', assignments: '*' };
  }
  return when === 'matched' ? { when, ...cond, action: 'update', assignments: assignments(cur) } : { when, ...cond, action: 'update', assignments: assignments(cur) };
}

const OMITTED_CONDITION: Record<MergeClause['when'], string> = {
  matched: 'NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION',
  notMatched: 'NON_LAST_NOT_MATCHED_BY_TARGET_CLAUSE_OMIT_CONDITION',
  notMatchedBySource: 'NON_LAST_NOT_MATCHED_BY_SOURCE_CLAUSE_OMIT_CONDITION',
};

export function parseMerge(cur: TokenCursor): MergeStatement {
  cur.expect('MERGE');
  if (cur.isKeyword('WITH')) throw unsupported('MERGE WITH SCHEMA EVOLUTION');
  cur.expect('INTO');
  const target = cur.qualifiedName('a table name');
  const targetAlias = alias(cur, ['USING']);
  cur.expect('USING');
  let source: MergeStatement['source'];
  if (cur.acceptOp('(')) {
    source = { query: nonEmpty(until(cur, [')']), cur, 'a query') };
    cur.expectOp(')');
  } else source = { table: cur.qualifiedName('a source table name') };
  const sourceAlias = alias(cur, ['ON']);
  cur.expect('ON');
  const on = nonEmpty(until(cur, ['WHEN']), cur, 'a merge condition');
  const clauses: MergeClause[] = [];
  while (cur.isKeyword('WHEN')) clauses.push(clause(cur));
  if (clauses.length === 0) throw cur.unexpected('WHEN MATCHED or WHEN NOT MATCHED');
  // within each kind, only the last clause may omit its condition
  for (const kind of ['matched', 'notMatched', 'notMatchedBySource'] as const) {
    const same = clauses.filter((c) => c.when === kind);
    if (same.slice(0, -1).some((c) => !c.condition)) {
      throw new SqlError(OMITTED_CONDITION[kind], 'When there are more than one such clauses in a MERGE statement, only the last one can omit the condition.', 'BAD_REQUEST', '42613');
    }
  }
  const out: MergeStatement = { kind: 'merge', target, source, on, clauses };
  if (targetAlias !== undefined) out.targetAlias = targetAlias;
  if (sourceAlias !== undefined) out.sourceAlias = sourceAlias;
  return out;
}
