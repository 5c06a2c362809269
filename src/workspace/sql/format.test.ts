import { describe, expect, it } from 'vitest';
import { javaDouble } from './format.js';

describe('javaDouble', () => {
  it("prints doubles the way Spark's Double.toString does", () => {
    const cases: Array<[string, string]> = [
      ['1.0', '1.0'], ['1', '1.0'], ['0.1', '0.1'], ['-2.5', '-2.5'], ['1e+20', '1.0E20'], ['1e-05', '1.0E-5'], ['0.001', '0.001'],
      ['0.0001', '1.0E-4'], ['1234567.0', '1234567.0'], ['12345678.0', '1.2345678E7'], ['0.0', '0.0'], ['-0.0', '-0.0'],
      ['inf', 'Infinity'], ['-inf', '-Infinity'], ['nan', 'NaN'], ['123.456', '123.456'], ['3.4028235e+38', '3.4028235E38'],
    ];
    for (const [duck, java] of cases) expect(javaDouble(duck), duck).toBe(java);
  });
});
