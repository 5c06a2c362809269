import { unsupported } from '../errors.js';
import { isNode, numberOf, type Node } from './json.js';
import { decimalOf } from './plan-probe.js';

/**
 * Spark's result types of arithmetic on DECIMAL operands (DecimalPrecision with
 * spark.sql.decimalOperations.allowPrecisionLoss, as Databricks SQL runs it).
 */

/** Spark's view of an operand: a DECIMAL, an integral type (by its decimal precision; a literal by its digits), a floating type or another type. */
export type SparkType =
  | { kind: 'decimal'; width: number; scale: number }
  | { kind: 'integral'; width: number; literal?: number | undefined }
  | { kind: 'floating' }
  | { kind: 'other'; name: string }
  | { kind: 'unknown' };

/** Spark's integral types as DECIMAL precisions (DecimalType.forType) */
const INTEGRAL: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 20 };
const HINT = 'Cast an operand to a narrower DECIMAL or to DOUBLE.';

/** A bound plan's type as Spark sees it. */
export function sparkTypeOf(type: unknown): SparkType {
  if (!isNode(type) || typeof type.id !== 'string') return { kind: 'unknown' };
  const decimal = decimalOf(type);
  if (decimal) return { kind: 'decimal', ...decimal };
  const width = INTEGRAL[type.id];
  if (width !== undefined) return { kind: 'integral', width };
  if (type.id === 'FLOAT' || type.id === 'DOUBLE') return { kind: 'floating' };
  return { kind: 'other', name: type.id };
}

/** A parse-tree constant's type; next to a DECIMAL an integer literal counts its digits (DecimalType.fromLiteral). */
export function literalType(constant: Node): SparkType {
  const value = constant.value as { type?: unknown; is_null?: unknown; value?: unknown } | undefined;
  if (!value || value.is_null === true) return { kind: 'other', name: 'NULL' };
  const type = isNode(value.type) && value.type.id === 'HUGEINT' ? ({ kind: 'integral', width: 39 } as const) : sparkTypeOf(value.type);
  const unscaled = integerOf(value.value);
  const digits = unscaled === undefined ? undefined : (unscaled < 0n ? -unscaled : unscaled).toString().length;
  if (type.kind === 'integral') return { kind: 'integral', width: type.width, literal: digits ?? -1 };
  // DuckDB types 0.05 as DECIMAL(3,2), Spark as DECIMAL(2,2): the precision is the unscaled value's digits
  if (isNode(value.type) && value.type.id === 'DECIMAL') {
    const scale = Number(numberOf((value.type.type_info as { scale?: unknown } | null | undefined)?.scale));
    return digits === undefined || !Number.isInteger(scale) ? { kind: 'unknown' } : { kind: 'decimal', width: Math.max(digits, scale), scale };
  }
  return type;
}

/** A constant's integer value: a tagged number, or a HUGEINT's two halves. */
function integerOf(value: unknown): bigint | undefined {
  const text = numberOf(value);
  if (text !== undefined) return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
  if (!isNode(value)) return undefined;
  const upper = numberOf(value.upper);
  const lower = numberOf(value.lower);
  if (upper === undefined || lower === undefined || !/^-?\d+$/.test(upper) || !/^\d+$/.test(lower)) return undefined;
  return BigInt(upper) * 2n ** 64n + BigInt(lower);
}

/** Spark's result type of `l op r` (op: + - * %); refuses what Spark would round or DuckDB cannot compute exactly. */
export function combine(op: string, l: SparkType, r: SparkType): SparkType {
  // DuckDB folds arithmetic on a NULL literal to a NULL constant: the other operand's type is not in the plan
  const isNull = (t: SparkType) => t.kind === 'other' && t.name === 'NULL';
  const maybeDecimal = (t: SparkType) => t.kind === 'decimal' || t.kind === 'unknown';
  if ((isNull(l) && maybeDecimal(r)) || (isNull(r) && maybeDecimal(l))) throw unsupported('DECIMAL arithmetic with a NULL literal', 'Cast it, e.g. CAST(NULL AS DECIMAL(10,2)).');
  if (l.kind !== 'decimal' && r.kind !== 'decimal') {
    if (l.kind === 'integral' && r.kind === 'integral') return { kind: 'integral', width: Math.max(l.width, r.width) };
    if (l.kind === 'unknown' || r.kind === 'unknown') return { kind: 'unknown' };
    if (l.kind === 'floating' || r.kind === 'floating') return l.kind === 'other' ? l : r.kind === 'other' ? r : { kind: 'floating' };
    return l.kind === 'other' ? l : r;
  }
  if (l.kind === 'unknown' || r.kind === 'unknown') return { kind: 'unknown' };
  if (l.kind === 'floating' || r.kind === 'floating') return { kind: 'floating' };
  const a = asDecimal(l);
  const b = asDecimal(r);
  if (op === '%') throw unsupported('the remainder (% or mod) of DECIMAL values (DuckDB computes wide ones through DOUBLE)', 'Cast the operands to DOUBLE or BIGINT.');
  if (op === '*') return adjust('multiplying', a.width + b.width + 1, a.scale + b.scale);
  const scale = Math.max(a.scale, b.scale);
  return adjust(op === '+' ? 'adding' : 'subtracting', Math.max(a.width - a.scale, b.width - b.scale) + scale + 1, scale);
}

function asDecimal(t: SparkType): { width: number; scale: number } {
  if (t.kind === 'decimal') return t;
  if (t.kind === 'integral') {
    if (t.literal === -1 || (t.literal ?? t.width) > 38) throw unsupported('DECIMAL arithmetic with an integer beyond 38 digits or a HUGEINT', 'Cast it to a DECIMAL first.');
    return { width: t.literal ?? t.width, scale: 0 };
  }
  throw unsupported(`DECIMAL arithmetic with a${t.kind === 'other' ? ` ${t.name}` : 'n unknown'} operand`, 'Cast the operand to a DECIMAL or a number type first.');
}

/** DecimalType.adjustPrecisionScale: beyond precision 38 keep the integer digits and at least min(s, 6) decimals. */
function adjust(what: string, width: number, scale: number): SparkType {
  if (width <= 38) return { kind: 'decimal', width, scale };
  const kept = Math.max(38 - (width - scale), Math.min(scale, 6));
  if (kept !== scale) {
    throw unsupported(`${what} DECIMAL values whose exact result needs DECIMAL(${width},${scale}) (Databricks rounds it to DECIMAL(38,${kept}))`, HINT);
  }
  return { kind: 'decimal', width: 38, scale };
}
