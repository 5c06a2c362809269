/**
 * A statement that fails while executing: the Statement Execution API answers HTTP 200 with
 * state FAILED and `status.error = {error_code, message}`. `errorClass` is Databricks' bracketed
 * error class that starts the message ("[TABLE_OR_VIEW_NOT_FOUND] ...").
 */
export class SqlError extends Error {
  constructor(
    readonly errorClass: string,
    message: string,
    /** ServiceErrorCode reported in status.error.error_code */
    readonly serviceCode: string = errorClass === 'PERMISSION_DENIED' ? 'PERMISSION_DENIED' : 'BAD_REQUEST',
    readonly sqlState?: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }

  get wireMessage(): string {
    return `[${this.errorClass}] ${this.message}`;
  }
}

export const ENGINE_NAME = "Brickyard's local SQL warehouse (DuckDB)";

/** A Databricks SQL construct this engine does not translate: refused, never approximated. */
export function unsupported(construct: string, hint?: string): SqlError {
  return new SqlError('UNSUPPORTED_FEATURE', `${ENGINE_NAME} does not support ${construct}.${hint ? ` ${hint}` : ''}`, 'BAD_REQUEST', '0A000');
}

export function tableNotFound(name: string): SqlError {
  return new SqlError(
    'TABLE_OR_VIEW_NOT_FOUND',
    `The table or view ${name} cannot be found. Verify the spelling and correctness of the schema and catalog.`,
    'BAD_REQUEST',
    '42P01',
  );
}

/** Quotes an identifier for DuckDB: always double quotes, embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A DuckDB string literal: single quotes doubled; DuckDB standard strings have no backslash escapes. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `a`.`b`.`c` the way Databricks prints names in messages. */
export function displayName(parts: readonly string[]): string {
  return parts.map((p) => `\`${p.replace(/`/g, '``')}\``).join('.');
}
