import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './condition.js';

describe('evaluateCondition', () => {
  it('compares strings for EQUAL_TO / NOT_EQUAL', () => {
    expect(evaluateCondition('EQUAL_TO', '12.0', '12')).toBe(false);
    expect(evaluateCondition('EQUAL_TO', 'true', 'true')).toBe(true);
    expect(evaluateCondition('NOT_EQUAL', 'a', 'b')).toBe(true);
  });
  it('compares numbers for the ordering operators', () => {
    expect(evaluateCondition('GREATER_THAN_OR_EQUAL', '12.0', '12')).toBe(true);
    expect(evaluateCondition('GREATER_THAN_OR_EQUAL', '10.0', '12')).toBe(false);
    expect(evaluateCondition('GREATER_THAN', '0.9', '0.5')).toBe(true);
    expect(evaluateCondition('LESS_THAN', '-1', '0')).toBe(true);
    expect(evaluateCondition('LESS_THAN_OR_EQUAL', ' 3 ', '3')).toBe(true);
  });
  it('fails on operands that are not numbers', () => {
    expect(() => evaluateCondition('GREATER_THAN', 'abc', '1')).toThrow('The left operand "abc" of GREATER_THAN is not a number.');
    expect(() => evaluateCondition('LESS_THAN', '1', '')).toThrow('right operand');
  });
});
