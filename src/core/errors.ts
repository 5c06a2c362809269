/**
 * Two error families:
 * - ApiError: what the local workspace answers, in Databricks' own wire shape.
 * - UserError: what the CLI reports to a person, with a stable code and exit code.
 */

/** Stable process exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** a command ran but the outcome is negative (plan has changes, run failed) */
  failure: 1,
  /** bad usage or invalid configuration */
  usage: 2,
  /** authentication / permission problems */
  auth: 3,
  /** the remote answered with an error */
  remote: 4,
  /** a lock is held by someone else */
  locked: 5,
  /** interrupted by the user */
  interrupted: 130,
  /** an unexpected internal error (a bug) */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class UserError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  constructor(code: string, message: string, opts: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.usage;
  }
}

export interface ApiErrorBody {
  error_code: string;
  message: string;
  details?: unknown[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly details: unknown[] | undefined;
  constructor(status: number, errorCode: string, message: string, details?: unknown[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.details = details;
  }
  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { error_code: this.errorCode, message: this.message }
      : { error_code: this.errorCode, message: this.message, details: this.details };
  }
}

/** Shorthands for the codes Databricks uses most. */
export const apiErrors = {
  invalidParameter: (message: string) => new ApiError(400, 'INVALID_PARAMETER_VALUE', message),
  malformedRequest: (message: string) => new ApiError(400, 'MALFORMED_REQUEST', message),
  notFound: (message: string) => new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message),
  alreadyExists: (message: string, status = 400) => new ApiError(status, 'RESOURCE_ALREADY_EXISTS', message),
  permissionDenied: (message: string) => new ApiError(403, 'PERMISSION_DENIED', message),
  unauthenticated: (message: string) => new ApiError(401, 'UNAUTHENTICATED', message),
  invalidState: (message: string) => new ApiError(400, 'INVALID_STATE', message),
  notImplemented: (message: string) => new ApiError(501, 'NOT_IMPLEMENTED', message),
} as const;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
