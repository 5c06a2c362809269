import { z } from 'zod';
import { LANGUAGES, type Language } from '../../../notebook/index.js';
import { EXPORT_OUTPUTS, WORKSPACE_FORMATS } from './formats.js';

/**
 * Request shapes of the Workspace API. Clients send booleans and numbers as JSON values or,
 * in query strings and multipart fields, as text; absent and null mean the same.
 */

const flexibleBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])])
  .transform((v) => v === true || v === 'true' || v === 'True');

const flexibleInteger = z.union([z.number().int(), z.string().regex(/^\d+$/, 'expected an integer').transform(Number)]);

const languageSchema = z.enum(LANGUAGES as [Language, ...Language[]]);
const formatSchema = z.enum(WORKSPACE_FORMATS);

export const pathRequestSchema = z.object({ path: z.string() });

export const getStatusRequestSchema = z.object({
  path: z.string(),
  return_export_info: flexibleBoolean.nullish(),
});

export const listRequestSchema = z.object({
  path: z.string(),
  notebooks_modified_after: flexibleInteger.nullish(),
});

export const exportRequestSchema = z.object({
  path: z.string(),
  format: formatSchema.nullish(),
  direct_download: flexibleBoolean.nullish(),
  outputs: z.enum(EXPORT_OUTPUTS).nullish(),
});

export const deleteRequestSchema = z.object({
  path: z.string(),
  recursive: flexibleBoolean.nullish(),
});

/** The import fields both transports share; `content` is base64 text in JSON, raw bytes in multipart. */
export const importFieldsSchema = z.object({
  path: z.string(),
  format: formatSchema.nullish(),
  language: languageSchema.nullish(),
  overwrite: flexibleBoolean.nullish(),
});

export type ImportFields = z.infer<typeof importFieldsSchema>;

export const jsonImportRequestSchema = importFieldsSchema.extend({ content: z.string() });

export const importFileQuerySchema = z.object({ overwrite: flexibleBoolean.nullish() });
