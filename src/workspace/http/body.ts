import type { z } from 'zod';
import { ApiError, apiErrors } from '../../core/errors.js';
import type { ApiContext } from './router.js';
import { MAX_JSON_DEPTH } from '../../api/limits.js';
import { findBadText, nestsDeeperThan, printableField } from './text-input.js';

const bodyCache = new WeakMap<object, Record<string, unknown>>();

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Refuses input holding text Postgres cannot store (NUL, invalid Unicode), naming the field. */
export function refuseBadText(input: unknown): void {
  const bad = findBadText(input);
  if (bad) throw apiErrors.invalidParameter(bad.field === '' ? `Invalid value: ${bad.problem}` : `Invalid value for ${printableField(bad.field)}: ${bad.problem}`);
}

/**
 * Reads a JSON object body whatever the Content-Type (the legacy CLI sends `text/json`);
 * an empty body is `{}`. Malformed JSON, bytes that are not UTF-8 and nesting deeper than
 * MAX_JSON_DEPTH are Databricks' MALFORMED_REQUEST; text fields with NUL characters are
 * INVALID_PARAMETER_VALUE naming the field.
 */
export async function readJsonBody(c: ApiContext): Promise<Record<string, unknown>> {
  const cached = bodyCache.get(c.req.raw);
  if (cached) return cached;
  const bytes = await c.req.arrayBuffer();
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw apiErrors.malformedRequest('Invalid JSON given in the body of the request - the body is not valid UTF-8');
  }
  if (nestsDeeperThan(text)) {
    throw apiErrors.malformedRequest(`Invalid JSON given in the body of the request - it nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let parsed: unknown = {};
  if (text.trim().length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw apiErrors.malformedRequest('Invalid JSON given in the body of the request - failed to parse given JSON');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw apiErrors.malformedRequest('Invalid JSON given in the body of the request - expected a map');
  }
  const body = parsed as Record<string, unknown>;
  refuseBadText(body);
  bodyCache.set(c.req.raw, body);
  return body;
}

/**
 * Multipart form data (the Python SDK's workspace upload): text parts as strings, file parts as
 * their bytes.
 */
async function readFormBody(c: ApiContext): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw apiErrors.malformedRequest('Invalid multipart/form-data body in the request - failed to parse it.');
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    fields[name] = typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer());
  }
  // text parts are text fields; file parts are data and may hold any byte
  refuseBadText(fields);
  return fields;
}

function isMultipart(c: ApiContext): boolean {
  return (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** The query string's parameters; a repeated one becomes a list. */
export function readQuery(c: ApiContext): Record<string, unknown> {
  const fromQuery: Record<string, unknown> = {};
  const url = new URL(c.req.url);
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    fromQuery[key] = all.length > 1 ? all : all[0];
  }
  return fromQuery;
}

/** GET parameters come from the query string; the legacy CLI sometimes sends a JSON body too. */
export async function readParams(c: ApiContext): Promise<Record<string, unknown>> {
  const fromQuery = readQuery(c);
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    const hasBody = (c.req.header('content-length') ?? '0') !== '0';
    if (!hasBody) return fromQuery;
    const body = await readJsonBody(c).catch(() => ({}));
    return { ...body, ...fromQuery };
  }
  return { ...fromQuery, ...(isMultipart(c) ? await readFormBody(c) : await readJsonBody(c)) };
}

/** Validates with zod; the first problem becomes INVALID_PARAMETER_VALUE naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  // reportInput: an absent field (input undefined) is told apart from one of the wrong type
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
  // with reportInput every built-in issue carries the value it rejected: undefined means absent
  if ('input' in issue && issue.input === undefined && field !== '') {
    throw apiErrors.invalidParameter(`Missing required field: ${field}`);
  }
  throw apiErrors.invalidParameter(field ? `Invalid value for ${field}: ${issue.message}` : issue.message);
}

/** Ids are int64 on the wire; clients send them as numbers or strings. */
export function readId(value: unknown, field: string, required = true): number | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw apiErrors.invalidParameter(`Missing required field: ${field}`);
    return undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw apiErrors.invalidParameter(`Invalid value for ${field}: expected an integer id, got ${JSON.stringify(value)}`);
  return n;
}

export function readBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  throw apiErrors.invalidParameter(`Invalid value for ${field}: expected true or false, got ${JSON.stringify(value)}`);
}

export function readString(value: unknown, field: string, required: true): string;
export function readString(value: unknown, field: string, required?: false): string | undefined;
export function readString(value: unknown, field: string, required = false): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw apiErrors.invalidParameter(`Missing required field: ${field}`);
    return undefined;
  }
  if (typeof value !== 'string') throw apiErrors.invalidParameter(`Invalid value for ${field}: expected a string`);
  if (required && value.length === 0) throw apiErrors.invalidParameter(`Missing required field: ${field}`);
  return value;
}

export function readInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw apiErrors.invalidParameter(`Invalid value for ${field}: expected an integer, got ${JSON.stringify(value)}`);
  return n;
}

export { ApiError };
