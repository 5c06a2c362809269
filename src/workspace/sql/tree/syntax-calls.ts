import { SqlError, unsupported } from '../errors.js';
import { children, type Node } from './json.js';
import type { Templates } from './template.js';

/**
 * Calls that come from Databricks syntax rather than a plain function call, rewritten before the
 * function translation (functions.ts): the `^` operator (XOR, which lexical.ts spells `^^` so
 * DuckDB's power operator never sees it), overlay(… PLACING … FROM … [FOR …]), char(n),
 * exists/forall(array, lambda) and count(DISTINCT a, b, …). Answers the replacement, or undefined.
 */

/** The operator lexical.ts writes for Databricks' `^` (bitwise XOR); DuckDB has no such operator. */
export const XOR_OPERATOR = '^^';

export async function rewriteSyntaxCall(node: Node, templates: Templates): Promise<Node | undefined> {
  const name = String(node.function_name).toLowerCase();
  const args = children(node);
  const alias = String(node.alias ?? '');
  const t = (template: string) => templates.expr(template, args, alias);
  if (node.is_operator === true) return name === XOR_OPERATOR ? t('xor($0, $1)') : undefined;
  switch (name) {
    case 'count':
      return node.distinct === true && args.length > 1 ? countDistinctTuples(node, args, templates, alias) : undefined;
    case 'overlay':
      return overlay(args.length, t);
    case 'char':
      // Spark's chr: '' below 0, else the character of n mod 256 (n = 0 is U+0000)
      if (args.length !== 1) throw wrongArgs('char requires 1 argument.');
      return t("(CASE WHEN ($0) < 0 THEN '' ELSE chr(CAST(($0) % 256 AS INTEGER)) END)");
    case 'exists':
    case 'forall':
      return arrayPredicate(name, args, t);
    default:
      return undefined;
  }
}

/**
 * exists(array, x -> p) / forall(array, x -> p), three-valued as Databricks: exists is true if some
 * element satisfies p, else NULL if p is NULL for some element, else false; forall is false if p is
 * false for some element, else NULL if p is NULL for some, else true.
 */
function arrayPredicate(name: 'exists' | 'forall', args: readonly Node[], t: (template: string) => Promise<Node>): Promise<Node> {
  const lambda = args[1];
  if (args.length !== 2 || lambda?.class !== 'LAMBDA' || (lambda.lhs as Node | undefined)?.class !== 'COLUMN_REF') {
    throw unsupported(`${name}() without a one-parameter lambda`, `Write ${name}(array, x -> ...).`);
  }
  const decisive = name === 'exists' ? 'true' : 'false';
  return t(`(CASE WHEN ($0) IS NULL THEN NULL WHEN list_contains(list_transform($0, $1), ${decisive}) THEN ${decisive} WHEN list_count(list_transform($0, $1)) < len($0) THEN NULL ELSE NOT ${decisive} END)`);
}

/** count(DISTINCT a, b): Spark counts the distinct tuples whose values are all non-NULL. */
async function countDistinctTuples(node: Node, args: readonly Node[], templates: Templates, alias: string): Promise<Node> {
  const allPresent = args.map((_, k) => `($${k}) IS NOT NULL`).join(' AND ');
  const tuple = args.map((_, k) => `$${k}`).join(', ');
  const out = await templates.expr(`count(DISTINCT CASE WHEN ${allPresent} THEN row(${tuple}) END)`, args, alias);
  if (node.filter !== undefined && node.filter !== null) out.filter = node.filter;
  return out;
}

/**
 * overlay(input PLACING replace FROM pos [FOR len]) (DuckDB's parser writes overlay(input, replace,
 * pos[, len])): Spark keeps input's first pos-1 characters, then replace, then input from
 * pos + len (len defaults to the length of replace), with its substring's position arithmetic.
 */
function overlay(n: number, t: (template: string) => Promise<Node>): Promise<Node> {
  if (n !== 3 && n !== 4) throw wrongArgs('overlay requires 3 or 4 arguments.');
  const len = n === 4 ? '(CASE WHEN ($3) >= 0 THEN ($3) ELSE length($1) END)' : 'length($1)';
  const nulls = n === 4 ? '($0) IS NULL OR ($1) IS NULL OR ($2) IS NULL OR ($3) IS NULL' : '($0) IS NULL OR ($1) IS NULL OR ($2) IS NULL';
  // substringSQL(1, pos - 1): the first pos - 1 characters, none when pos <= 1
  const head = "(CASE WHEN ($2) <= 1 THEN '' ELSE substring($0, 1, ($2) - 1) END)";
  const tail = sparkSubstring('$0', `($2) + ${len}`, 'length($0) + 1');
  return t(`(CASE WHEN ${nulls} THEN NULL ELSE ${head} || ($1) || ${tail} END)`);
}

/** Spark's substringSQL(pos, length) on non-NULL arguments (pos counts from 1, from the end when negative). */
function sparkSubstring(str: string, pos: string, length: string): string {
  const start = `(CASE WHEN (${pos}) > 0 THEN (${pos}) - 1 WHEN (${pos}) < 0 THEN length(${str}) + (${pos}) ELSE 0 END)`;
  const end = `(${start} + (${length}))`;
  const from = `greatest(${start}, 0)`;
  return `(CASE WHEN ${from} >= ${end} THEN '' ELSE substring(${str}, ${from} + 1, ${end} - ${from}) END)`;
}

function wrongArgs(message: string): SqlError {
  return new SqlError('WRONG_NUM_ARGS', message, 'BAD_REQUEST', '42605');
}
