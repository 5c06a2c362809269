import { SqlError } from '../errors.js';
import { constantText, literalText, type Node } from './json.js';

/** read_files('/Volumes/c/s/v/path', format => 'csv', header => true), from its parse tree. */

export interface ReadFilesCall {
  path: string;
  options: Record<string, string>;
}

export function readFilesCall(args: readonly Node[]): ReadFilesCall {
  const [first, ...rest] = args;
  const path = first && !first.alias ? constantText(first) : undefined;
  if (path === undefined || (first?.value as { type?: { id?: string } }).type?.id !== 'VARCHAR') {
    throw new SqlError('INVALID_PARAMETER_VALUE', 'read_files expects a path string literal as its first argument.');
  }
  const options: Record<string, string> = {};
  for (const arg of rest) {
    // name => value: DuckDB's parser keeps the name as the argument's alias
    const key = typeof arg.alias === 'string' ? arg.alias : '';
    if (!key) throw new SqlError('INVALID_PARAMETER_VALUE', 'read_files options are written name => value.');
    const value = arg.class === 'CONSTANT' || arg.class === 'CAST' ? literalText(arg) : arg.class === 'COLUMN_REF' ? (arg.column_names as string[]).join('.') : undefined;
    if (value === undefined) throw new SqlError('INVALID_PARAMETER_VALUE', `read_files option ${key} must be a literal.`);
    options[key.toLowerCase()] = value;
  }
  return { path, options };
}
