import { describe, expect, it } from 'vitest';
import { refineEngineError } from './engine-errors.js';

describe('DuckDB failures refined to Databricks error classes', () => {
  const refine = (m: string) => refineEngineError(m, `engine: ${m}`);

  it('names the binder failures clients branch on', () => {
    expect(refine('Binder Error: Referenced column "x" not found in FROM clause!')?.errorClass).toBe('UNRESOLVED_COLUMN');
    expect(refine('Binder Error: column "salary" must appear in the GROUP BY clause or must be part of an aggregate function.')?.errorClass).toBe('MISSING_AGGREGATION');
    expect(refine('Binder Error: aggregate function calls cannot be nested')?.errorClass).toBe('NESTED_AGGREGATE_FUNCTION');
    expect(refine('Binder Error: Ambiguous reference to column name "dept"')?.errorClass).toBe('AMBIGUOUS_REFERENCE');
    expect(refine('Invalid Input Error: More than one row returned by a subquery used as an expression')?.errorClass).toBe('SCALAR_SUBQUERY_TOO_MANY_ROWS');
    expect(refine('Conversion Error: Failed to cast decimal value 3000000000 to type INT32')?.errorClass).toBe('CAST_OVERFLOW');
    expect(refine('Conversion Error: Casting value "123.45" to type DECIMAL(3,1) failed: value is out of range!')?.errorClass).toBe('NUMERIC_VALUE_OUT_OF_RANGE');
    expect(refine('Conversion Error: Date out of range: 2019-13-1')?.errorClass).toBe('DATETIME_FIELD_OUT_OF_BOUNDS');
    expect(refine("Conversion Error: Type INT128 with value 9223372036854775808 can't be cast because the value is out of range for the destination type INT64")?.errorClass).toBe('ARITHMETIC_OVERFLOW');
  });

  it('refuses a Databricks built-in DuckDB lacks by name, and leaves unknown names to UNRESOLVED_ROUTINE', () => {
    const pmod = refine('Catalog Error: Scalar Function with name pmod does not exist!\nDid you mean "mod"?');
    expect(pmod?.errorClass).toBe('UNSUPPORTED_FEATURE');
    expect(pmod?.message).toContain('the function pmod()');
    expect(refine('Catalog Error: Scalar Function with name no_such_fn does not exist!')).toBeUndefined();
  });
});
