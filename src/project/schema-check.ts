/**
 * Runs a zod schema over a located value and turns every problem into a Diagnostic with a file
 * position: zod issues become BY_SCHEMA errors, keys an object schema does not declare become
 * BY_UNKNOWN_FIELD warnings (with a "did you mean" suggestion) — dropped for `z.object`, kept and
 * sent as written for `knownObject` (job settings) — and fields marked with `unsupportedField`
 * become BY_UNSUPPORTED warnings.
 */
import type { z } from 'zod';
import {
  closest,
  DiagnosticCode,
  formatPath,
  joinPath,
  makeDiagnostic,
  type Diagnostic,
  type PathSegment,
  type SourcePos,
} from './diagnostics.js';
import { keepsUnknownFields } from '../api/scalars.js';
import { unsupportedNote } from './schema-bundle.js';
import { isPlainObject, locate } from './source.js';

interface LooseDef {
  type: string;
  innerType?: unknown;
  in?: unknown;
  getter?: () => unknown;
  options?: unknown[];
  element?: unknown;
  valueType?: unknown;
  shape?: Record<string, unknown>;
  catchall?: unknown;
}

function defOf(schema: unknown): LooseDef {
  return (schema as { _zod: { def: LooseDef } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** Strip optional/default/pipe/lazy wrappers. */
export function unwrapSchema(schema: unknown): unknown {
  let s = schema;
  for (let i = 0; i < 50; i++) {
    const d = defOf(s);
    if (WRAPPERS.has(d.type) && d.innerType !== undefined) s = d.innerType;
    else if (d.type === 'pipe' && d.in !== undefined) s = d.in;
    else if (d.type === 'lazy' && d.getter !== undefined) s = d.getter();
    else return s;
  }
  return s;
}

export function schemaKind(schema: unknown): string {
  return defOf(unwrapSchema(schema)).type;
}

/** The declared fields of an object schema (after unwrapping), and whether unknown keys pass through. */
export function objectShape(schema: unknown): { shape: Record<string, unknown>; loose: boolean } | undefined {
  const d = defOf(unwrapSchema(schema));
  if (d.type !== 'object' || d.shape === undefined) return undefined;
  return { shape: d.shape, loose: d.catchall !== undefined };
}

export function arrayElement(schema: unknown): unknown {
  const d = defOf(unwrapSchema(schema));
  return d.type === 'array' ? d.element : undefined;
}

export function recordValue(schema: unknown): unknown {
  const d = defOf(unwrapSchema(schema));
  return d.type === 'record' ? d.valueType : undefined;
}

export interface FieldNotice {
  path: PathSegment[];
  key: string;
  /** unknown: dropped by the schema; kept: passed through as written */
  kind: 'unknown' | 'kept' | 'unsupported';
  /** suggestion (unknown) or explanation (unsupported) */
  detail: string | undefined;
}

/** Walk `value` along `schema` and list keys the schema does not declare. */
export function findUnknownFields(schema: unknown, value: unknown, path: PathSegment[] = [], out: FieldNotice[] = []): FieldNotice[] {
  const s = unwrapSchema(schema);
  const d = defOf(s);
  if (d.type === 'object' && d.shape !== undefined && isPlainObject(value)) {
    const shape = d.shape;
    const known = Object.keys(shape).filter((k) => unsupportedNote(shape[k]) === undefined);
    for (const [key, v] of Object.entries(value)) {
      const field = shape[key];
      if (field === undefined) {
        if (d.catchall === undefined) out.push({ path, key, kind: 'unknown', detail: closest(key, known) });
        else if (keepsUnknownFields(s)) out.push({ path, key, kind: 'kept', detail: closest(key, known) });
        continue;
      }
      const note = unsupportedNote(field);
      if (note !== undefined) out.push({ path, key, kind: 'unsupported', detail: note });
      else findUnknownFields(field, v, [...path, key], out);
    }
  } else if (d.type === 'array' && Array.isArray(value)) {
    value.forEach((v, i) => findUnknownFields(d.element, v, [...path, i], out));
  } else if (d.type === 'record' && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) findUnknownFields(d.valueType, v, [...path, k], out);
  } else if (d.type === 'union' && d.options !== undefined) {
    const want = Array.isArray(value) ? ['array'] : isPlainObject(value) ? ['object', 'record'] : [];
    const option = d.options.find((o) => want.includes(schemaKind(o)));
    if (option !== undefined) findUnknownFields(option, value, path, out);
  }
  return out;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function expectedName(e: string): string {
  if (e === 'object' || e === 'record') return 'a mapping';
  if (e === 'array') return 'a list';
  if (e === 'int') return 'an integer';
  return `a ${e}`;
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue): { message: string; hint: string } {
  const last = issue.path[issue.path.length - 1];
  const field = typeof last === 'string' ? last : undefined;
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined && field !== undefined) {
        return { message: `missing required field '${field}'`, hint: `add '${field}'` };
      }
      return {
        message: `expected ${expectedName(issue.expected)}, got ${typeName(input)}`,
        hint: `change the value to ${expectedName(issue.expected)}`,
      };
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const guess = typeof input === 'string' ? closest(input, values) : undefined;
      return {
        message: `${typeName(input)} is not allowed here; expected one of ${values.join(', ')}`,
        hint: guess !== undefined ? `did you mean '${guess}'?` : `use one of ${values.join(', ')}`,
      };
    }
    case 'invalid_union':
      if (input === undefined && field !== undefined) return { message: `missing required field '${field}'`, hint: `add '${field}'` };
      return { message: `${issue.message}, got ${typeName(input)}`, hint: issue.message.replace(/^expected /, 'use ') };
    default:
      return { message: issue.message, hint: 'see the Databricks Jobs API reference for this field' };
  }
}

export interface SchemaCheckContext {
  /** position used when nothing better is known (usually the file start) */
  fallback: SourcePos;
  /** field path of `value` inside its file, e.g. `resources.jobs.train` ('' for a whole file) */
  pathPrefix: string;
}

/** Validate `value` (a located tree) and return the parsed data (undefined on errors) plus diagnostics. */
export function checkSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: SchemaCheckContext,
): { data: z.output<S> | undefined; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const pathOf = (segs: readonly PathSegment[]) => joinPath(ctx.pathPrefix, formatPath(segs));
  for (const n of findUnknownFields(schema, value)) {
    const full = [...n.path, n.key];
    const pos = locate(value, full, ctx.fallback, 'key');
    if (n.kind === 'unsupported') {
      diagnostics.push(
        makeDiagnostic('warning', DiagnosticCode.unsupported, pos, pathOf(full), `'${n.key}' is not supported by brickyard and is ignored`, n.detail ?? ''),
      );
    } else if (n.kind === 'kept') {
      const at = n.path.length > 0 || ctx.pathPrefix !== '' ? pathOf(n.path) : 'the top level';
      const msg = `unknown field '${n.key}' at ${at}; kept and sent as is — the Jobs API may reject it`;
      const hint = n.detail !== undefined ? `did you mean '${n.detail}'? rename it` : `check the name against the Jobs API reference, or remove '${n.key}'`;
      diagnostics.push(makeDiagnostic('warning', DiagnosticCode.unknownField, pos, pathOf(full), msg, hint));
    } else {
      const msg = `unknown field '${n.key}'` + (n.detail !== undefined ? ` — did you mean '${n.detail}'?` : '');
      const hint = n.detail !== undefined ? `rename '${n.key}' to '${n.detail}'` : `remove '${n.key}'; it is ignored`;
      diagnostics.push(makeDiagnostic('warning', DiagnosticCode.unknownField, pos, pathOf(full), msg, hint));
    }
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { data: result.data, diagnostics };
  for (const issue of result.error.issues) {
    const segs = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const { message, hint } = describeIssue(issue);
    diagnostics.push(makeDiagnostic('error', DiagnosticCode.schema, locate(value, segs, ctx.fallback), pathOf(segs), message, hint));
  }
  return { data: undefined, diagnostics };
}
