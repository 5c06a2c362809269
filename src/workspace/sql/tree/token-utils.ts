import { SqlError } from '../errors.js';
import type { Token } from '../tokens.js';
import type { BoundParam } from './env.js';

/** Small helpers over Databricks tokens shared by the lexical normalisation and IDENTIFIER binding. */

/** Our temp views, macros and placeholders are named __by_...; user SQL may not name them. */
export function reserved(name: string): void {
  if (name.toLowerCase().startsWith('__by_')) throw new SqlError('INVALID_IDENTIFIER', `Identifiers starting with __by_ are reserved by the local warehouse: ${name}.`);
}

export function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'op') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')') {
      depth--;
      if (depth === 0) return k;
    }
  }
  throw new SqlError('PARSE_SYNTAX_ERROR', 'Unbalanced parentheses: a "(" is never closed.');
}

export function boundParam(name: string, params: ReadonlyMap<string, BoundParam>): BoundParam {
  const p = params.get(name.toLowerCase());
  if (!p) throw new SqlError('UNBOUND_SQL_PARAMETER', `Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to a SQL literal.`, 'BAD_REQUEST', '42P02');
  return p;
}

