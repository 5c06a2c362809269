import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors.js';
import { createLogger, MAX_LOG_STRING } from './logger.js';

function capture(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: 'debug', write: (l) => lines.push(l) }) };
}

describe('log lines', () => {
  it('cut every string at MAX_LOG_STRING and say how many bytes were left out', () => {
    const { lines, log } = capture();
    const huge = 'n'.repeat(60 * 1024 * 1024);
    log.error(huge, { name: huge, nested: { deeper: { list: [huge] } } });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(4 * MAX_LOG_STRING + 500);
    expect(lines[0]).toContain(`…(${huge.length - MAX_LOG_STRING} more bytes)`);
  });

  it('count what was cut in UTF-8 bytes', () => {
    const { lines, log } = capture();
    log.info('m', { s: 'é'.repeat(MAX_LOG_STRING + 10) });
    expect(lines[0]).toContain('…(20 more bytes)');
  });

  it('bound lists, field counts and nesting', () => {
    const { lines, log } = capture();
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    log.warn('m', { list: Array.from({ length: 1000 }, (_, i) => i), wide, deep });
    expect(lines[0]).toContain('…(980 more items)');
    expect(lines[0]).toContain('"…":"80 more fields"');
    expect(lines[0]).not.toContain('bottom');
    expect(lines[0]!.length).toBeLessThan(2000);
  });

  it('redact a secret before cutting, so a cut cannot leave part of it readable', () => {
    const { lines, log } = capture();
    const token = `dapi${'0123456789abcdef'.repeat(2)}`;
    log.info('m', { s: `${'x'.repeat(MAX_LOG_STRING - 10)} ${token}` });
    expect(lines[0]).not.toContain('dapi0123');
  });

  it('keep errors and dates readable', () => {
    const { lines, log } = capture();
    log.info('m', { error: new Error('went wrong'), at: new Date(0) });
    expect(lines[0]).toContain('"error":"went wrong"');
    expect(lines[0]).toContain('"at":"1970-01-01T00:00:00.000Z"');
  });

  it('never carry the parameters of a failed query (request data), but do name the query and its cause', () => {
    const { lines, log } = capture();
    const failed = new Error('Failed query: insert into "jobs" ("name") values ($1)\nparams: secret-job-name', { cause: new Error('invalid byte sequence for encoding "UTF8": 0x00') });
    expect(errorMessage(failed)).toBe('Failed query: insert into "jobs" ("name") values ($1): invalid byte sequence for encoding "UTF8": 0x00');
    log.error('m', { error: failed, message: failed.message });
    expect(lines[0]).not.toContain('secret-job-name');
    expect(lines[0]).toContain('invalid byte sequence');
    expect(lines[0]).toContain('params: [not logged]');
  });
});
