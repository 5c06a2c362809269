import type { ColumnInfo, TableRecord } from '../services/uc/store.js';
import { quoteIdent, SqlError, unsupported } from './errors.js';
import { count, tokensText } from './exec-dml.js';
import { checkMergeClauseScope, mergeSide, qualifyForSide } from './merge-scope.js';
import type { MergeClause, MergeStatement } from './parse-merge.js';
import { countsResult, type ResultSet } from './result.js';
import type { Session } from './session.js';
import type { Token } from './tokens.js';
import type { Piece } from './translate.js';
import { commitFiles, intoColumnPieces, tableColumns, writeParquet, type WriteHooks } from './write.js';

/**
 * MERGE INTO as Delta runs it: the target FULL OUTER JOIN the source on the merge condition, each
 * joined row taking the first clause of its kind whose condition holds. The joined rows are
 * materialized once (a temp table of this statement's connection) with the clause each took and
 * the values it assigns; the new version is written from them and committed as one change that
 * read (and replaces) every file of the target.
 */

const JOINED = '"__by_merge"';

function clauseOf(clauses: ReadonlyArray<{ clause: MergeClause; index: number }>, conditions: ReadonlyMap<number, Piece[]>): Piece[] {
  if (clauses.length === 0) return [{ text: '0' }];
  const out: Piece[] = [{ text: 'CASE' }];
  for (const { index } of clauses) {
    const cond = conditions.get(index);
    out.push({ text: 'WHEN' }, ...(cond ? [{ text: '(' }, ...cond, { text: ')' }] : [{ text: 'true' }]), { text: `THEN ${index}` });
  }
  out.push({ text: 'ELSE 0 END' });
  return out;
}

function findColumn(columns: readonly ColumnInfo[], name: string, table: TableRecord): ColumnInfo {
  const col = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!col) throw new SqlError('UNRESOLVED_COLUMN', `A column with name \`${name}\` cannot be resolved in table ${table.full_name}.`, 'BAD_REQUEST', '42703');
  return col;
}

/** For an UPDATE or INSERT clause: the value expression of every target column (undefined = keep / NULL). */
async function clauseValues(session: Session, clause: MergeClause, columns: readonly ColumnInfo[], table: TableRecord, sourceRef: string): Promise<Array<Piece[] | undefined> | undefined> {
  const sourceColumn = (c: ColumnInfo): Piece[] => [{ text: `${sourceRef}.${quoteIdent(c.name)}` }];
  if (clause.action === 'delete') return undefined;
  if (clause.action === 'update') {
    if (clause.assignments === '*') return columns.map(sourceColumn);
    const assigned = new Map<string, Piece[]>();
    for (const a of clause.assignments) {
      const col = findColumn(columns, a.column, table);
      if (assigned.has(col.name)) throw new SqlError('DUPLICATE_ASSIGNMENT', `The column \`${col.name}\` is assigned more than once in a MERGE UPDATE clause.`, 'BAD_REQUEST', '42701');
      assigned.set(col.name, await session.translate(a.expr));
    }
    return columns.map((c) => assigned.get(c.name));
  }
  if (clause.values === '*') return columns.map(sourceColumn);
  const names = clause.columns ?? columns.map((c) => c.name);
  if (names.length !== clause.values.length) {
    throw new SqlError('INSERT_COLUMN_ARITY_MISMATCH', `Cannot write to ${table.full_name}: the table has ${columns.length} columns but the MERGE INSERT clause gives ${clause.values.length} values.`, 'BAD_REQUEST', '21S01');
  }
  const byColumn = new Map<string, Piece[]>();
  for (const [k, name] of names.entries()) {
    const col = findColumn(columns, name, table);
    if (byColumn.has(col.name)) throw new SqlError('DUPLICATE_ASSIGNMENT', `The column \`${col.name}\` is named twice in a MERGE INSERT clause.`, 'BAD_REQUEST', '42701');
    byColumn.set(col.name, await session.translate(clause.values[k]!));
  }
  return columns.map((c) => byColumn.get(c.name) ?? [{ text: 'NULL' }]);
}

async function sourcePieces(session: Session, st: MergeStatement): Promise<Piece[]> {
  const body: readonly Token[] = 'query' in st.source ? st.source.query : [];
  if ('query' in st.source) return [{ text: '(' }, ...(await session.translateQuery(body)), { text: ')' }];
  // a table name: SELECT * FROM <name>, so its reference is resolved and authorized like any read
  const nameTokens = st.source.table.flatMap((part, k): Piece[] => (k > 0 ? [{ text: '.' }, { text: quoteIdent(part) }] : [{ text: quoteIdent(part) }]));
  return [{ text: '(SELECT * FROM' }, ...nameTokens, { text: ')' }];
}

export async function execMerge(session: Session, hooks: WriteHooks, st: MergeStatement): Promise<ResultSet> {
  const table = await session.table(st.target, ['SELECT', 'MODIFY']);
  if (table.table_type !== 'MANAGED') throw unsupported(`MERGE INTO ${table.table_type} tables`, 'Only managed tables are written by the local warehouse.');
  const columns = tableColumns(table);
  const targetRef = quoteIdent(st.targetAlias ?? table.name);
  const sourceName = st.sourceAlias ?? ('table' in st.source ? st.source.table[st.source.table.length - 1]! : '__by_source');
  const sourceRef = quoteIdent(sourceName);
  if ('query' in st.source && st.sourceAlias === undefined) throw new SqlError('PARSE_SYNTAX_ERROR', 'A MERGE source subquery needs an alias (USING (…) AS s).');

  const view = await session.viewFor(table);
  const source = await sourcePieces(session, st);
  await checkMergeClauseScope(session, st.clauses, mergeSide(session, [{ text: view }], st.targetAlias ?? table.name), mergeSide(session, source, sourceName));

  const conditions = new Map<number, Piece[]>();
  const values = new Map<number, Array<Piece[] | undefined>>();
  for (const [index, clause] of st.clauses.entries()) {
    // a NOT MATCHED [BY SOURCE] clause sees one side: its bare names are that side's
    const side = clause.when === 'notMatchedBySource' ? (st.targetAlias ?? table.name) : clause.when === 'notMatched' ? sourceName : undefined;
    const scoped = async (expr: Piece[]): Promise<Piece[]> => (side === undefined ? expr : qualifyForSide(session, expr, side));
    if (clause.condition) conditions.set(index + 1, await scoped(await session.translate(clause.condition)));
    const v = await clauseValues(session, clause, columns, table, sourceRef);
    if (v) {
      const exprs: Array<Piece[] | undefined> = [];
      for (const e of v) exprs.push(e ? await scoped(e) : undefined);
      values.set(index + 1, exprs);
    }
  }
  const numbered = st.clauses.map((clause, k) => ({ clause, index: k + 1 }));
  const of = (when: MergeClause['when']) => numbered.filter((c) => c.clause.when === when);

  // the joined rows: presence markers, the clause each row takes, and the values it assigns
  const projection: Piece[] = [
    { text: `${targetRef}."__by_tm" AS "__by_tm", ${sourceRef}."__by_sm" AS "__by_sm", ${targetRef}."__by_tid" AS "__by_tid",` },
    { text: `row_number() OVER (PARTITION BY ${targetRef}."__by_tid") AS "__by_dup",` },
    { text: `CASE WHEN ${targetRef}."__by_tm" AND ${sourceRef}."__by_sm" THEN` },
    ...clauseOf(of('matched'), conditions),
    { text: `WHEN ${targetRef}."__by_tm" THEN` },
    ...clauseOf(of('notMatchedBySource'), conditions),
    { text: 'ELSE' },
    ...clauseOf(of('notMatched'), conditions),
    { text: 'END AS "__by_clause"' },
  ];
  columns.forEach((c, i) => projection.push({ text: `, ${targetRef}.${quoteIdent(c.name)} AS "__by_o${i}"` }));
  for (const [index, exprs] of values) {
    exprs.forEach((expr, i) => {
      const col = columns[i]!;
      if (expr) projection.push({ text: ',' }, ...intoColumnPieces([{ text: '(' }, ...expr, { text: ')' }], undefined, col), { text: `AS "__by_v${index}_${i}"` });
    });
  }
  const joined: Piece[] = [
    { text: 'SELECT' },
    ...projection,
    { text: `FROM (SELECT *, true AS "__by_tm", row_number() OVER () AS "__by_tid" FROM ${view}) AS ${targetRef} FULL OUTER JOIN (SELECT *, true AS "__by_sm" FROM` },
    ...source,
    { text: `AS "__by_src") AS ${sourceRef} ON (` },
    ...(await session.translate(st.on)),
    { text: ')' },
  ];
  await session.run(`CREATE TEMP TABLE ${JOINED} AS ${await session.resolveTables(joined)}`);

  // Delta refuses a target row matched by several source rows (unless the only matched action is an unconditional DELETE)
  const matched = of('matched');
  const onlyUnconditionalDelete = matched.length === 1 && matched[0]!.clause.action === 'delete' && !matched[0]!.clause.condition;
  if (matched.length > 0 && !onlyUnconditionalDelete) {
    const duplicated = await count(session, `SELECT count(*) FROM (SELECT "__by_tid" FROM ${JOINED} WHERE "__by_tm" AND "__by_sm" GROUP BY "__by_tid" HAVING count(*) > 1)`);
    if (duplicated > 0) {
      throw new SqlError(
        'DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE',
        'Cannot perform Merge as multiple source rows matched and attempted to modify the same target row in the Delta table in possibly conflicting ways. By SQL semantics of Merge, when multiple source rows match on the same target row, the result may be ambiguous as it is unclear which source row should be used to update or delete the matching target row. You can preprocess the source table to eliminate the possibility of multiple matches.',
        'BAD_REQUEST',
        '21506',
      );
    }
  }

  const ids = (action: string) => numbered.filter((c) => c.clause.action === action).map((c) => c.index);
  const inList = (xs: number[]) => (xs.length > 0 ? xs.join(', ') : '-1');
  const [updates, deletes, inserts] = [ids('update'), ids('delete'), ids('insert')];
  // a target row counts once even when several source rows matched it (an unconditional DELETE)
  const counts = await session.run(
    `SELECT count(DISTINCT "__by_tid") FILTER (WHERE "__by_clause" IN (${inList(updates)})), count(DISTINCT "__by_tid") FILTER (WHERE "__by_clause" IN (${inList(deletes)})), count(*) FILTER (WHERE "__by_clause" IN (${inList(inserts)})), count(*) FILTER (WHERE "__by_tm" AND "__by_dup" = 1 AND "__by_clause" = 0) FROM ${JOINED}`,
  );
  const [updated, deleted, inserted, copied] = ((await counts.getRows())[0] ?? []).map((v) => Number(v ?? 0));
  const affected = (updated ?? 0) + (deleted ?? 0) + (inserted ?? 0);
  if (affected === 0) return countsResult({ num_affected_rows: 0, num_updated_rows: 0, num_deleted_rows: 0, num_inserted_rows: 0 });

  const output = columns.map((c, i) => {
    const cases = [...values].filter(([, exprs]) => exprs[i]).map(([index]) => `WHEN ${index} THEN "__by_v${index}_${i}"`);
    const kept = `"__by_o${i}"`;
    return `${cases.length > 0 ? `CASE "__by_clause" ${cases.join(' ')} ELSE ${kept} END` : kept} AS ${quoteIdent(c.name)}`;
  });
  // target rows stay once (unless deleted); source rows only through an INSERT clause
  const written = await writeParquet(
    session,
    `SELECT ${output.join(', ')} FROM ${JOINED} WHERE ("__by_tm" AND "__by_dup" = 1 AND "__by_clause" NOT IN (${inList(deletes)})) OR ("__by_tm" IS NULL AND "__by_clause" IN (${inList(inserts)}))`,
    table.storage_location,
  );
  await commitFiles(session, hooks, table, {
    readFiles: table.data_files,
    remove: table.data_files,
    add: [written.file],
    operation: 'MERGE',
    parameters: {
      predicate: JSON.stringify([tokensText(st.on)]),
      matchedPredicates: JSON.stringify(of('matched').map(({ clause }) => ({ ...(clause.condition ? { predicate: tokensText(clause.condition) } : {}), actionType: clause.action }))),
      notMatchedPredicates: JSON.stringify(of('notMatched').map(({ clause }) => ({ ...(clause.condition ? { predicate: tokensText(clause.condition) } : {}), actionType: clause.action }))),
      notMatchedBySourcePredicates: JSON.stringify(of('notMatchedBySource').map(({ clause }) => ({ ...(clause.condition ? { predicate: tokensText(clause.condition) } : {}), actionType: clause.action }))),
    },
    metrics: {
      numTargetRowsUpdated: updated ?? 0,
      numTargetRowsDeleted: deleted ?? 0,
      numTargetRowsInserted: inserted ?? 0,
      numTargetRowsCopied: copied ?? 0,
      numOutputRows: written.rows,
      numTargetFilesAdded: 1,
      numTargetFilesRemoved: table.data_files.length,
    },
  });
  return countsResult({ num_affected_rows: affected, num_updated_rows: updated ?? 0, num_deleted_rows: deleted ?? 0, num_inserted_rows: inserted ?? 0 });
}
