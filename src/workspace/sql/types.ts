import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { quoteIdent, SqlError, unsupported } from './errors.js';
import { tokenize, TokenCursor } from './tokens.js';

/**
 * Databricks (Spark) data types, and their mapping to DuckDB types and to Unity Catalog
 * column metadata (type_name / type_text / type_json). Spark TIMESTAMP is an instant (local
 * time zone), stored as DuckDB TIMESTAMPTZ; TIMESTAMP_NTZ is DuckDB's plain TIMESTAMP.
 */

export type PrimitiveKind =
  | 'boolean' | 'tinyint' | 'smallint' | 'int' | 'bigint' | 'float' | 'double'
  | 'string' | 'binary' | 'date' | 'timestamp' | 'timestamp_ntz' | 'void' | 'interval';

export interface StructField {
  name: string;
  type: SqlType;
  nullable: boolean;
  comment?: string;
}

export type SqlType =
  | { kind: PrimitiveKind }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'array'; element: SqlType }
  | { kind: 'map'; key: SqlType; value: SqlType }
  | { kind: 'struct'; fields: StructField[] };

const NAMES: Record<string, PrimitiveKind> = {
  BOOLEAN: 'boolean', BOOL: 'boolean',
  TINYINT: 'tinyint', BYTE: 'tinyint',
  SMALLINT: 'smallint', SHORT: 'smallint',
  INT: 'int', INTEGER: 'int',
  BIGINT: 'bigint', LONG: 'bigint',
  FLOAT: 'float', REAL: 'float',
  DOUBLE: 'double',
  STRING: 'string',
  BINARY: 'binary',
  DATE: 'date',
  TIMESTAMP: 'timestamp', TIMESTAMP_LTZ: 'timestamp',
  TIMESTAMP_NTZ: 'timestamp_ntz',
  VOID: 'void', NULL: 'void',
};

/** Parses a Databricks type at the cursor: INT, DECIMAL(10,2), ARRAY<STRING>, STRUCT<a: INT, b STRING>, ... */
export function parseType(cur: TokenCursor): SqlType {
  const t = cur.peek();
  if (t.kind !== 'ident') throw cur.unexpected('a data type');
  cur.next();
  const word = t.upper;
  if (word === 'DECIMAL' || word === 'DEC' || word === 'NUMERIC') {
    let precision = 10;
    let scale = 0;
    if (cur.acceptOp('(')) {
      precision = intArg(cur);
      if (cur.acceptOp(',')) scale = intArg(cur);
      cur.expectOp(')');
    }
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
      throw new SqlError('INVALID_PARAMETER_VALUE', `Invalid DECIMAL(${precision}, ${scale}): precision must be 1..38 and scale 0..precision.`);
    }
    return { kind: 'decimal', precision, scale };
  }
  if (word === 'ARRAY') {
    expectAngle(cur, '<');
    const element = parseType(cur);
    expectAngle(cur, '>');
    return { kind: 'array', element };
  }
  if (word === 'MAP') {
    expectAngle(cur, '<');
    const key = parseType(cur);
    cur.expectOp(',');
    const value = parseType(cur);
    expectAngle(cur, '>');
    return { kind: 'map', key, value };
  }
  if (word === 'STRUCT') {
    expectAngle(cur, '<');
    const fields: StructField[] = [];
    if (!cur.isOp('>')) {
      do {
        const name = cur.identifier('a struct field name');
        cur.acceptOp(':');
        const type = parseType(cur);
        const nullable = !cur.accept('NOT', 'NULL');
        const field: StructField = { name, type, nullable };
        if (cur.accept('COMMENT')) field.comment = cur.stringLiteral('a comment');
        fields.push(field);
      } while (cur.acceptOp(','));
    }
    expectAngle(cur, '>');
    return { kind: 'struct', fields };
  }
  if (word === 'CHAR' || word === 'VARCHAR' || word === 'CHARACTER') {
    throw unsupported(`the ${word} type (length-limited strings)`, 'Use STRING.');
  }
  if (word === 'INTERVAL' || word === 'VARIANT' || word === 'OBJECT' || word === 'GEOGRAPHY' || word === 'GEOMETRY') {
    throw unsupported(`the ${word} type in table columns and casts`);
  }
  const kind = NAMES[word];
  if (!kind) throw new SqlError('UNSUPPORTED_DATATYPE', `Unsupported data type "${t.value}".`, 'BAD_REQUEST', '0A000');
  return { kind };
}

function intArg(cur: TokenCursor): number {
  const t = cur.next();
  if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw new SqlError('PARSE_SYNTAX_ERROR', `Expected an integer in a type, got '${t.value}'.`);
  return Number(t.value);
}

function expectAngle(cur: TokenCursor, op: '<' | '>'): void {
  cur.expectOp(op);
}

/** Parses a UC `type_text` ("decimal(10,2)", "array<int>", "struct<a:int>"). */
export function parseTypeText(text: string): SqlType {
  const tokens = tokenize(text);
  const cur = new TokenCursor(tokens, text);
  const type = parseType(cur);
  if (!cur.atEnd()) throw cur.unexpected('end of type');
  return type;
}

/** The type from a UC column: its type_text, or its type_name when the text is absent. */
export function typeOfColumn(column: { name: string; type_text?: string; type_name?: string; type_precision?: number; type_scale?: number }): SqlType {
  const text = column.type_text?.trim() || column.type_name?.trim();
  if (!text) throw new SqlError('INVALID_PARAMETER_VALUE', `Column ${column.name} has no type.`);
  if (/^decimal$/i.test(text) && column.type_precision !== undefined) {
    return { kind: 'decimal', precision: column.type_precision, scale: column.type_scale ?? 0 };
  }
  return parseTypeText(text);
}

export function toDuckDB(t: SqlType): string {
  switch (t.kind) {
    case 'boolean': return 'BOOLEAN';
    case 'tinyint': return 'TINYINT';
    case 'smallint': return 'SMALLINT';
    case 'int': return 'INTEGER';
    case 'bigint': return 'BIGINT';
    case 'float': return 'FLOAT';
    case 'double': return 'DOUBLE';
    case 'string': return 'VARCHAR';
    case 'binary': return 'BLOB';
    case 'date': return 'DATE';
    case 'timestamp': return 'TIMESTAMP WITH TIME ZONE';
    case 'timestamp_ntz': return 'TIMESTAMP';
    case 'void': return '"NULL"';
    case 'interval': return 'INTERVAL';
    case 'decimal': return `DECIMAL(${t.precision},${t.scale})`;
    case 'array': return `${toDuckDB(t.element)}[]`;
    case 'map': return `MAP(${toDuckDB(t.key)}, ${toDuckDB(t.value)})`;
    case 'struct': return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${toDuckDB(f.type)}`).join(', ')})`;
  }
}

/** UC / Statement API `type_name` (ColumnInfoTypeName). */
export function ucTypeName(t: SqlType): string {
  switch (t.kind) {
    case 'tinyint': return 'BYTE';
    case 'smallint': return 'SHORT';
    case 'bigint': return 'LONG';
    case 'void': return 'NULL';
    default: return t.kind.toUpperCase();
  }
}

/** Spark's simple string: int, bigint, decimal(10,2), array<string>, struct<a:int> */
export function typeText(t: SqlType): string {
  switch (t.kind) {
    case 'decimal': return `decimal(${t.precision},${t.scale})`;
    case 'array': return `array<${typeText(t.element)}>`;
    case 'map': return `map<${typeText(t.key)},${typeText(t.value)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${f.name}:${typeText(f.type)}${f.nullable ? '' : ' not null'}`).join(',')}>`;
    case 'interval': return 'interval day to second';
    default: return t.kind;
  }
}

/** Spark's JSON type representation (the payload of UC `type_json`). */
export function sparkJsonType(t: SqlType): unknown {
  switch (t.kind) {
    case 'int': return 'integer';
    case 'bigint': return 'long';
    case 'smallint': return 'short';
    case 'tinyint': return 'byte';
    case 'void': return 'void';
    case 'decimal': return `decimal(${t.precision},${t.scale})`;
    case 'array': return { type: 'array', elementType: sparkJsonType(t.element), containsNull: true };
    case 'map': return { type: 'map', keyType: sparkJsonType(t.key), valueType: sparkJsonType(t.value), valueContainsNull: true };
    case 'struct': return { type: 'struct', fields: t.fields.map((f) => ({ name: f.name, type: sparkJsonType(f.type), nullable: f.nullable, metadata: f.comment ? { comment: f.comment } : {} })) };
    case 'interval': return 'interval day to second';
    default: return t.kind;
  }
}

/**
 * The Databricks type of a DuckDB result column. `forStorage` maps DuckDB-only types onto
 * types a table can hold (HUGEINT → DECIMAL(38,0), UUID → STRING, ...) and refuses the rest.
 */
export function fromDuckDB(d: DuckDBType, forStorage: boolean, column: string): SqlType {
  switch (d.typeId) {
    case DuckDBTypeId.BOOLEAN: return { kind: 'boolean' };
    case DuckDBTypeId.TINYINT: return { kind: 'tinyint' };
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT: return { kind: 'smallint' };
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.INTEGER_LITERAL: return { kind: 'int' };
    // DuckDB sums integers into HUGEINT where Databricks answers BIGINT (casting back errors on overflow, as ANSI mode does)
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.HUGEINT: return { kind: 'bigint' };
    case DuckDBTypeId.UBIGINT: return { kind: 'decimal', precision: 20, scale: 0 };
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM: return { kind: 'decimal', precision: 38, scale: 0 };
    case DuckDBTypeId.FLOAT: return { kind: 'float' };
    case DuckDBTypeId.DOUBLE: return { kind: 'double' };
    case DuckDBTypeId.DECIMAL: {
      const dec = d as unknown as { width: number; scale: number };
      return { kind: 'decimal', precision: dec.width, scale: dec.scale };
    }
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.STRING_LITERAL:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.BIT: return { kind: 'string' };
    case DuckDBTypeId.BLOB: return { kind: 'binary' };
    case DuckDBTypeId.DATE: return { kind: 'date' };
    case DuckDBTypeId.TIMESTAMP_TZ: return { kind: 'timestamp' };
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS: return { kind: 'timestamp_ntz' };
    case DuckDBTypeId.SQLNULL:
      if (forStorage) throw new SqlError('DATATYPE_MISMATCH', `Column ${column} has type VOID (a bare NULL); cast it to a concrete type to store it in a table.`);
      return { kind: 'void' };
    case DuckDBTypeId.INTERVAL:
      if (forStorage) throw unsupported(`storing INTERVAL values in a table (column ${column})`);
      return { kind: 'interval' };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return { kind: 'array', element: fromDuckDB((d as unknown as { valueType: DuckDBType }).valueType, forStorage, column) };
    case DuckDBTypeId.MAP: {
      const m = d as unknown as { keyType: DuckDBType; valueType: DuckDBType };
      return { kind: 'map', key: fromDuckDB(m.keyType, forStorage, column), value: fromDuckDB(m.valueType, forStorage, column) };
    }
    case DuckDBTypeId.STRUCT: {
      const s = d as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
      return { kind: 'struct', fields: s.entryNames.map((name, i) => ({ name, type: fromDuckDB(s.entryTypes[i]!, forStorage, column), nullable: true })) };
    }
    default:
      throw unsupported(`the DuckDB type ${d.toString()} (column ${column})`);
  }
}

/** UC ColumnInfo for a table column. */
export function ucColumn(name: string, type: SqlType, position: number, nullable = true, comment?: string) {
  const column = {
    name,
    type_name: ucTypeName(type),
    type_text: typeText(type),
    type_json: JSON.stringify({ name, type: sparkJsonType(type), nullable, metadata: comment ? { comment } : {} }),
    position,
    nullable,
    ...(type.kind === 'decimal' ? { type_precision: type.precision, type_scale: type.scale } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
  return column;
}

/** The Statement API manifest spells types upper-case: INT, DECIMAL(10,2), ARRAY<STRING>, STRUCT<a: INT>. */
export function manifestTypeText(t: SqlType): string {
  switch (t.kind) {
    case 'decimal': return `DECIMAL(${t.precision},${t.scale})`;
    case 'array': return `ARRAY<${manifestTypeText(t.element)}>`;
    case 'map': return `MAP<${manifestTypeText(t.key)}, ${manifestTypeText(t.value)}>`;
    case 'struct': return `STRUCT<${t.fields.map((f) => `${f.name}: ${manifestTypeText(f.type)}${f.nullable ? '' : ' NOT NULL'}`).join(', ')}>`;
    case 'interval': return 'INTERVAL DAY TO SECOND';
    default: return t.kind.toUpperCase();
  }
}
