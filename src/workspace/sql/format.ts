import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { quoteIdent } from './errors.js';

/**
 * JSON_ARRAY results carry every value as a string (NULL as null), formatted the way Databricks
 * prints them: booleans true/false, doubles like Java (1.0E20), timestamps ISO-8601 with Z,
 * binary as base64, nested values as JSON. Most formatting happens inside DuckDB; doubles are
 * finished in JS.
 */

/** DuckDB expression turning column `name` of type `type` into its Databricks string form. */
export function formatExpression(name: string, type: DuckDBType): string {
  const col = quoteIdent(name);
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
      return col;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return `CASE WHEN microsecond(${col}) % 1000 = 0 THEN strftime(${col}, '%Y-%m-%dT%H:%M:%S.%gZ') ELSE strftime(${col}, '%Y-%m-%dT%H:%M:%S.%fZ') END`;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return `CASE WHEN microsecond(${col}) % 1000 = 0 THEN strftime(CAST(${col} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') ELSE strftime(CAST(${col} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%f') END`;
    case DuckDBTypeId.BLOB:
      return `base64(${col})`;
    case DuckDBTypeId.HUGEINT:
      return `CAST(CAST(${col} AS BIGINT) AS VARCHAR)`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      return `CAST(to_json(${col}) AS VARCHAR)`;
    default:
      return `CAST(${col} AS VARCHAR)`;
  }
}

export function needsJsFormatting(type: DuckDBType): boolean {
  return type.typeId === DuckDBTypeId.DOUBLE || type.typeId === DuckDBTypeId.FLOAT;
}

/**
 * DuckDB's shortest round-trip double text ("1e+20", "0.1", "-inf") → Java's Double.toString
 * form that Spark prints ("1.0E20", "0.1", "-Infinity").
 */
export function javaDouble(text: string): string {
  const lower = text.toLowerCase();
  if (lower === 'nan' || lower === '-nan') return 'NaN';
  if (lower === 'inf' || lower === 'infinity') return 'Infinity';
  if (lower === '-inf' || lower === '-infinity') return '-Infinity';
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return text;
  const [, sign = '', intPart = '0', frac = '', exp = '0'] = m;
  // normalise to digits d1d2d3... and decimal exponent e: value = 0.d1d2d3 × 10^e
  let digits = (intPart + frac).replace(/^0+/, '');
  const leadingZeros = (intPart + frac).length - (intPart + frac).replace(/^0+/, '').length;
  let e = intPart.length + Number(exp) - leadingZeros;
  digits = digits.replace(/0+$/, '');
  if (digits.length === 0) return `${sign}0.0`;
  // Java uses plain notation for 1e-3 <= |x| < 1e7
  if (e >= -2 && e <= 7) {
    if (e <= 0) return `${sign}0.${'0'.repeat(-e)}${digits}`;
    if (digits.length <= e) return `${sign}${digits}${'0'.repeat(e - digits.length)}.0`;
    return `${sign}${digits.slice(0, e)}.${digits.slice(e)}`;
  }
  e -= 1;
  const mantissa = digits.length === 1 ? `${digits}.0` : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${mantissa}E${e}`;
}
