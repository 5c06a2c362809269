import { z } from 'zod';

/**
 * Size limits of the request input, one definition for the whole API. Where Databricks documents
 * a limit it is used (the source is named); elsewhere a generous, stated bound keeps one request
 * from storing or logging megabytes in a field meant for a name.
 */

/** JSON nesting (objects and arrays). Databricks' own settings nest about ten deep. */
export const MAX_JSON_DEPTH = 64;

/** Jobs API: "The maximum length is 4096 bytes in UTF-8 encoding" (job name and run name). */
export const MAX_JOB_NAME_BYTES = 4096;

/** Jobs API: "An optional description for the job. The maximum length is 27700 characters". */
export const MAX_JOB_DESCRIPTION_LENGTH = 27_700;

/** Secrets API: scope and key names "may not exceed 128 characters". */
export const MAX_SECRET_NAME_LENGTH = 128;

/** Unity Catalog identifiers (catalog, schema, table, volume, function names): 255 characters. */
export const MAX_UC_NAME_LENGTH = 255;

/** Unity Catalog comments: the OpenAPI reference's maxLength. */
export const MAX_UC_COMMENT_LENGTH = 65_536;

/** Workspace and Files API paths (not documented: a filesystem-like bound). */
export const MAX_PATH_LENGTH = 4096;

/** A request URL's path: a MAX_PATH_LENGTH path behind an endpoint's prefix (Files API, import-file). */
export const MAX_REQUEST_PATH_LENGTH = MAX_PATH_LENGTH + 256;

/** Other names (SCIM userName, displayName, group names, principal names; not documented). */
export const MAX_NAME_LENGTH = 1024;

/** Short free text such as a token's comment (not documented). */
export const MAX_COMMENT_LENGTH = 1024;

/** Length of a string in UTF-8 bytes, counted without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A string of at most `max` characters (the schema error names the limit). */
export function textUpTo(max: number) {
  return z.string({ error: 'expected a string' }).max(max, { error: `must be at most ${max} characters` });
}

/** A string of at most `max` bytes in UTF-8 (the Jobs API counts its names in bytes). */
export function textUpToBytes(max: number) {
  return z.string({ error: 'expected a string' }).refine((s) => utf8Length(s) <= max, { error: `must be at most ${max} bytes in UTF-8` });
}
