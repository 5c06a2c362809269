/**
 * condition_task semantics (Jobs API docs): EQUAL_TO / NOT_EQUAL compare strings ("12.0" != "12");
 * the ordering operators compare numbers and fail on operands that are not numbers.
 */
export type ConditionOp = 'EQUAL_TO' | 'GREATER_THAN' | 'GREATER_THAN_OR_EQUAL' | 'LESS_THAN' | 'LESS_THAN_OR_EQUAL' | 'NOT_EQUAL';

export class ConditionError extends Error {}

function numberOf(side: string, value: string, op: ConditionOp): number {
  const trimmed = value.trim();
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(n)) throw new ConditionError(`The ${side} operand "${value}" of ${op} is not a number.`);
  return n;
}

export function evaluateCondition(op: ConditionOp, left: string, right: string): boolean {
  switch (op) {
    case 'EQUAL_TO':
      return left === right;
    case 'NOT_EQUAL':
      return left !== right;
  }
  const l = numberOf('left', left, op);
  const r = numberOf('right', right, op);
  switch (op) {
    case 'GREATER_THAN':
      return l > r;
    case 'GREATER_THAN_OR_EQUAL':
      return l >= r;
    case 'LESS_THAN':
      return l < r;
    case 'LESS_THAN_OR_EQUAL':
      return l <= r;
  }
}
