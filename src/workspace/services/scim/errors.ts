import { SCIM_SCHEMAS, type ScimErrorBody, type ScimType } from '../../../api/scim.js';
import { ApiError } from '../../../core/errors.js';

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

/** Databricks' SCIM endpoints answer every failure (bad JSON and bad fields too) in SCIM's error shape. */
export function scimErrorResponse(err: ApiError): Response {
  const body: ScimErrorBody = { schemas: [SCIM_SCHEMAS.error], detail: err.message, status: String(err.status) };
  if (err instanceof ScimError && err.scimType && err.status === 400) body.scimType = err.scimType;
  return new Response(JSON.stringify(body), { status: err.status, headers: { 'content-type': 'application/json' } });
}
