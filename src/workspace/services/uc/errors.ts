import type { SecurableType } from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';
import { securableLabel } from './names.js';

/** "Catalog 'x' does not exist." as 404 RESOURCE_DOES_NOT_EXIST, which every SDK maps to NotFound. */
export function ucNotFound(type: SecurableType, fullName: string) {
  return apiErrors.notFound(`${securableLabel(type)} '${fullName}' does not exist.`);
}

export function ucAlreadyExists(type: SecurableType, fullName: string) {
  return apiErrors.alreadyExists(`${securableLabel(type)} '${fullName}' already exists.`, 409);
}
