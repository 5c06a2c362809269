/**
 * Two error families:
 * - ApiError: what the local workspace answers, in Databricks' own wire shape.
 * - UserError: what the CLI reports to a person, with a stable code and exit code.
 * Their codes are closed sets, in error-codes.ts.
 */
import { apiErrorStatus, cliErrorExitCodes, ExitCode, type ApiErrorCode, type UserErrorCode } from './error-codes.js';

export { ExitCode, type ApiErrorCode, type CliErrorCode, type UserErrorCode } from './error-codes.js';

export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  /** The exit code follows from the code; `exitCode` overrides it where one code covers two cases. */
  constructor(code: UserErrorCode, message: string, opts: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? cliErrorExitCodes[code];
  }
}

export interface ApiErrorBody {
  error_code: ApiErrorCode;
  message: string;
  details?: unknown[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: ApiErrorCode;
  readonly details: unknown[] | undefined;
  constructor(status: number, errorCode: ApiErrorCode, message: string, details?: unknown[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.details = details;
  }
  /** An error with the code's usual HTTP status (see apiErrorStatus). */
  static of(errorCode: ApiErrorCode, message: string, details?: unknown[]): ApiError {
    return new ApiError(apiErrorStatus[errorCode], errorCode, message, details);
  }
  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { error_code: this.errorCode, message: this.message }
      : { error_code: this.errorCode, message: this.message, details: this.details };
  }
}

/** Shorthands for the codes Databricks uses most. */
export const apiErrors = {
  invalidParameter: (message: string) => ApiError.of('INVALID_PARAMETER_VALUE', message),
  malformedRequest: (message: string) => ApiError.of('MALFORMED_REQUEST', message),
  notFound: (message: string) => ApiError.of('RESOURCE_DOES_NOT_EXIST', message),
  alreadyExists: (message: string, status: number = apiErrorStatus.RESOURCE_ALREADY_EXISTS) => new ApiError(status, 'RESOURCE_ALREADY_EXISTS', message),
  permissionDenied: (message: string) => ApiError.of('PERMISSION_DENIED', message),
  unauthenticated: (message: string) => ApiError.of('UNAUTHENTICATED', message),
  invalidState: (message: string) => ApiError.of('INVALID_STATE', message),
  notImplemented: (message: string) => ApiError.of('NOT_IMPLEMENTED', message),
} as const;

/** Marks where a failed database query's message lists its parameters (drizzle's DrizzleQueryError). */
export const QUERY_PARAMS_MARKER = '\nparams: ';

export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // a failed query's message lists its parameters (request data, secrets): name the query and the cause instead
  if (err.message.startsWith('Failed query: ') && err.message.includes(QUERY_PARAMS_MARKER)) {
    const query = err.message.slice(0, err.message.indexOf(QUERY_PARAMS_MARKER));
    return err.cause instanceof Error ? `${query}: ${err.cause.message}` : query;
  }
  return err.message;
}
