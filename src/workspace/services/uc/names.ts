import type { SecurableType } from '../../../api/unity-catalog.js';
import { apiErrors } from '../../../core/errors.js';

/**
 * UC identifiers are case-insensitive and stored lower-case. Databricks refuses names with
 * periods, spaces, forward slashes or control characters; so do we.
 */
export function normalizeName(raw: string, what: string): string {
  const name = raw.trim().toLowerCase();
  if (name.length === 0) throw apiErrors.invalidParameter(`Missing required field: ${what}`);
  if (name.length > 255) throw apiErrors.invalidParameter(`Invalid ${what} '${raw}': names are at most 255 characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[.\s/\u0000-\u001f\u007f]/.test(name)) {
    throw apiErrors.invalidParameter(`Invalid ${what} '${raw}': names cannot contain periods, spaces, forward slashes or control characters.`);
  }
  return name;
}

/** Splits 'a.b.c' into `parts` normalized names; the count must match the securable kind. */
export function splitFullName(raw: string, parts: number, what: string): string[] {
  const pieces = raw.split('.');
  if (pieces.length !== parts || pieces.some((p) => p.trim().length === 0)) {
    const shape = ['catalog', 'schema', 'name'].slice(0, parts).join('.');
    throw apiErrors.invalidParameter(`Invalid ${what} full name '${raw}': expected ${parts === 1 ? 'a single name' : `'${shape}'`}.`);
  }
  return pieces.map((p) => normalizeName(p, `${what} name`));
}

export function partsOf(type: SecurableType): number {
  switch (type) {
    case 'metastore':
    case 'catalog':
      return 1;
    case 'schema':
      return 2;
    default:
      return 3;
  }
}

/** 'Table' etc.: the capitalised kind used in Databricks messages ("... on Table 'a.b.c'"). */
export function securableLabel(type: SecurableType): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}
