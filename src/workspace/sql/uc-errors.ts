import { ApiError } from '../../core/errors.js';
import { SqlError } from './errors.js';

/**
 * Unity Catalog store errors (ApiError with an HTTP status) surfaced inside a statement become
 * FAILED statements with Databricks' SQL error classes; anything else is passed through.
 */
export function fromUcError(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  switch (err.status) {
    case 403:
      return new SqlError('INSUFFICIENT_PERMISSIONS', `Insufficient privileges: ${err.message}`, 'PERMISSION_DENIED', '42501');
    case 404:
      return new SqlError(notFoundClass(err.message), err.message, 'NOT_FOUND', '42704');
    case 409: {
      // Delta's concurrency failures carry their error class (uc/table-commits.ts)
      const delta = /^\[(DELTA_[A-Z_]+)\] ([^]*)$/.exec(err.message);
      if (delta) return new SqlError(delta[1]!, delta[2]!, 'ABORTED', '2D521');
      return new SqlError(err.errorCode === 'ABORTED' ? 'CONCURRENT_MODIFICATION' : 'ALREADY_EXISTS', err.message, err.errorCode === 'ABORTED' ? 'ABORTED' : 'ALREADY_EXISTS');
    }
    case 501:
      return new SqlError('UNSUPPORTED_FEATURE', err.message, 'BAD_REQUEST', '0A000');
    default:
      return new SqlError(err.errorCode, err.message, 'BAD_REQUEST');
  }
}

function notFoundClass(message: string): string {
  if (message.startsWith('Catalog')) return 'NO_SUCH_CATALOG_EXCEPTION';
  if (message.startsWith('Schema')) return 'SCHEMA_NOT_FOUND';
  if (message.startsWith('Table')) return 'TABLE_OR_VIEW_NOT_FOUND';
  return 'RESOURCE_DOES_NOT_EXIST';
}

/** Runs a UC store call, converting its errors. */
export async function uc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromUcError(err);
  }
}
