/**
 * Scalar shapes shared by the REST contract (src/api). Clients spell int64 ids and numbers as JSON
 * numbers or strings (the legacy CLI sends "107", proto3 JSON allows both), and a project file's
 * `${var.x}` always yields a string, so integers and booleans also accept their string spelling.
 */
import { z } from 'zod';

/** integer, or a string of digits (e.g. from `--var n=5` or the legacy CLI) */
export const IntSchema = z.union([z.number().int(), z.string().trim().regex(/^-?\d+$/).transform(Number)], {
  error: 'expected an integer',
});

/** An int64 id (job_id, run_id, …): a non-negative safe integer, as a number or a string of digits. */
export const IdSchema = IntSchema.pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER, { error: 'expected an integer id' }));

/** boolean, or the string 'true'/'false' (query strings carry booleans as text; Python's True/False too) */
export const BoolSchema = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False']).transform((v) => v.toLowerCase() === 'true')], {
  error: 'expected true or false',
});

/** a string; numbers and booleans are converted (YAML `epochs: 10` in a string map is fine) */
export const ScalarStringSchema = z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String);

export const StringMapSchema = z.record(z.string(), ScalarStringSchema);
export const StringListSchema = z.array(ScalarStringSchema);

/**
 * Parameter maps (base_parameters, job_parameters, notebook_params, …) are string → string on the
 * wire; numbers and booleans are stringified and a null value is the empty string.
 */
export const ParamMapSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'expected a string' }).transform((v) => (v === null ? '' : String(v))),
);

/** a free-form object we forward as is */
export const PassThroughSchema = z.looseObject({});

const keptUnknown = new WeakSet<object>();

/**
 * An object whose fields we know: undeclared keys pass through to the output unchanged (a newer
 * API field must never be lost on the way), and the project validator warns about them (it asks
 * `keepsUnknownFields`, so a typo gets a "did you mean").
 */
export function knownObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const schema = z.object(shape).catchall(z.unknown());
  keptUnknown.add(schema);
  return schema;
}

export function keepsUnknownFields(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && keptUnknown.has(schema);
}
