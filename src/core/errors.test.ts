import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiErrorStatus, cliErrorExitCodes, ExitCode } from './error-codes.js';
import { ApiError, apiErrors, UserError } from './errors.js';

describe('UserError', () => {
  it('takes its exit code from its code', () => {
    expect(new UserError('BY_USAGE', 'm').exitCode).toBe(2);
    expect(new UserError('BY_AUTH', 'm').exitCode).toBe(3);
    expect(new UserError('BY_REMOTE', 'm').exitCode).toBe(4);
    expect(new UserError('BY_DEPLOY_LOCKED', 'm').exitCode).toBe(5);
    expect(new UserError('BY_INTERRUPTED', 'm').exitCode).toBe(130);
  });

  it('keeps an explicit override (a job id the workspace does not know is a remote answer)', () => {
    expect(new UserError('BY_JOB_NOT_FOUND', 'm').exitCode).toBe(ExitCode.usage);
    expect(new UserError('BY_JOB_NOT_FOUND', 'm', { exitCode: ExitCode.remote }).exitCode).toBe(4);
  });

  it('maps every code to one of the documented exit codes', () => {
    const documented = new Set<number>([0, 1, 2, 3, 4, 5, 70, 130]);
    expect(new Set(Object.values(ExitCode))).toEqual(documented);
    for (const [code, exit] of Object.entries(cliErrorExitCodes)) {
      expect(code).toMatch(/^BY_[A-Z_]+$/);
      expect(documented.has(exit), code).toBe(true);
    }
    expect(cliErrorExitCodes.BY_INTERNAL).toBe(70);
  });

  it("is documented in the README's exit-code table, each code in the row of its exit code", () => {
    const rows = new Map<number, string[]>();
    for (const line of readFileSync('README.md', 'utf8').split('\n')) {
      const m = /^\| (\d+) \|.*\|(.*)\|$/.exec(line);
      if (m) rows.set(Number(m[1]), [...(m[2] ?? '').matchAll(/`(BY_[A-Z_]+)`/g)].map((c) => c[1] as string));
    }
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 70, 130]);
    for (const [code, exit] of Object.entries(cliErrorExitCodes)) expect(rows.get(exit), code).toContain(code);
    for (const listed of rows.values()) for (const code of listed) expect(Object.keys(cliErrorExitCodes)).toContain(code);
  });
});

describe('ApiError', () => {
  it('gets the usual status of its code, or the one given', () => {
    expect(ApiError.of('RESOURCE_DOES_NOT_EXIST', 'gone').status).toBe(404);
    expect(ApiError.of('ALREADY_EXISTS', 'there').status).toBe(409);
    expect(apiErrors.alreadyExists('x').status).toBe(400);
    expect(apiErrors.alreadyExists('x', 409).status).toBe(409);
    expect(new ApiError(413, 'INVALID_PARAMETER_VALUE', 'too big').toBody()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'too big' });
  });

  it('knows a status for every code, in the HTTP error range', () => {
    for (const [code, status] of Object.entries(apiErrorStatus)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(status >= 400 && status < 600, code).toBe(true);
    }
  });
});
