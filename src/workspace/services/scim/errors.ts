import { ApiError } from '../../../core/errors.js';
import type { ApiHandler } from '../../http/router.js';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 scimType values we use for 400 answers. */
export type ScimType = 'invalidFilter' | 'invalidPath' | 'invalidValue' | 'invalidSyntax' | 'mutability' | 'uniqueness' | 'noTarget';

const codeForStatus: Record<number, ApiError['errorCode']> = {
  400: 'INVALID_PARAMETER_VALUE',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  409: 'RESOURCE_ALREADY_EXISTS',
};

/**
 * An error the SCIM endpoints answer in SCIM's own shape. It is an ApiError, so if it ever escapes
 * a SCIM route it still renders as a Databricks error rather than a 500.
 */
export class ScimError extends ApiError {
  readonly scimType: ScimType | undefined;
  constructor(status: number, detail: string, scimType?: ScimType) {
    super(status, codeForStatus[status] ?? 'INVALID_PARAMETER_VALUE', detail);
    this.scimType = scimType;
  }
}

export const scimErrors = {
  badRequest: (detail: string, scimType: ScimType = 'invalidValue') => new ScimError(400, detail, scimType),
  notFound: (detail: string) => new ScimError(404, detail),
  conflict: (detail: string) => new ScimError(409, detail, 'uniqueness'),
  forbidden: (detail: string) => new ScimError(403, detail),
};

/** `{"schemas":[…Error],"detail":…,"status":"409"}` — what Databricks' SCIM endpoints answer. */
export function scimErrorResponse(err: ApiError): Response {
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], detail: err.message, status: String(err.status) };
  if (err instanceof ScimError && err.scimType && err.status === 400) body.scimType = err.scimType;
  return new Response(JSON.stringify(body), { status: err.status, headers: { 'content-type': 'application/json' } });
}

/** Wraps a SCIM handler so every Databricks-shaped ApiError (bad JSON, bad field) leaves in SCIM form. */
export function scimRoute(handler: ApiHandler): ApiHandler {
  return async (c) => {
    try {
      return await handler(c);
    } catch (err) {
      if (err instanceof ApiError) return scimErrorResponse(err);
      throw err;
    }
  };
}
