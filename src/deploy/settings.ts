/**
 * Job settings as deploy compares them. Databricks answers with Go `omitempty` semantics and fills
 * in defaults, so a value we sent and the value it echoes differ in form but not in meaning. Both
 * sides are normalised the same way before hashing and diffing, so an echo never looks like a change.
 */
import { KEYED_ARRAYS as JOB_KEYED_ARRAYS, TASK_KEYED_ARRAYS } from '../api/job-settings.js';
import { sha256Hex, stableStringify } from '../core/hash.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

import { TAG_HASH } from '../api/ownership.js';

/** Ownership and change-detection tags brickyard writes on every job it manages (defined with the contract). */
export { OWN_TAGS, TAG_HASH, TAG_PREVENT_DESTROY, TAG_PROJECT, TAG_RESOURCE } from '../api/ownership.js';
/** Jobs accept at most 25 tags; values follow cluster tag limits (AWS: 255 characters). */
export const MAX_JOB_TAGS = 25;
export const MAX_TAG_VALUE = 255;

/** Arrays whose elements are identified by a key: compared and diffed by that key, not by position. */
const KEYED_ARRAYS: Record<string, string> = {
  ...JOB_KEYED_ARRAYS,
  ...TASK_KEYED_ARRAYS,
  /** bundle permissions: one entry per user, group or service principal (see keyOf) */
  permissions: 'principal',
};

/** Numeric fields whose 0 means "not set". */
const ZERO_DEFAULTS = new Set(['timeout_seconds', 'max_retries', 'min_retry_interval_millis']);
/** Field values that equal the server's default. */
const VALUE_DEFAULTS: Record<string, Json> = {
  run_if: 'ALL_SUCCESS',
  pause_status: 'UNPAUSED',
  max_concurrent_runs: 1,
  edit_mode: 'EDITABLE',
};
/** Fields the server ignores on write or sets itself. */
const IGNORED = new Set(['format', 'deployment']);

/**
 * The value a field has when normalisation dropped it, for showing a change as `default → value`
 * rather than as an addition: the server default, 0 for "not set" numbers, false for booleans.
 */
export function implicitDefault(field: string, other: Json): Json | undefined {
  if (field in VALUE_DEFAULTS) return VALUE_DEFAULTS[field];
  if (ZERO_DEFAULTS.has(field)) return 0;
  if (typeof other === 'boolean') return false;
  return undefined;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy through JSON (drops undefined). */
export function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}

export interface NormalizeOptions {
  /** `run_as: {user_name: <deployer>}` is what the server fills in by default */
  currentUser?: string | undefined;
  /** keep keyed arrays (tasks, …) in their order instead of sorting them: for writing files */
  keepOrder?: boolean;
}

function keyOf(element: Json, keyField: string): string | undefined {
  if (!isObject(element)) return undefined;
  if (keyField === 'principal') {
    const p = element['user_name'] ?? element['group_name'] ?? element['service_principal_name'];
    return typeof p === 'string' ? p : undefined;
  }
  const k = element[keyField];
  return typeof k === 'string' ? k : undefined;
}

function normalizeValue(value: Json, field: string, opts: NormalizeOptions): Json | undefined {
  if (value === null || value === false || value === '') return undefined;
  if (typeof value === 'number') return value === 0 && ZERO_DEFAULTS.has(field) ? undefined : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalizeValue(v, '', opts)).filter((v): v is Json => v !== undefined);
    const keyField = KEYED_ARRAYS[field];
    if (opts.keepOrder !== true && keyField !== undefined && items.every((i) => keyOf(i, keyField) !== undefined)) {
      items.sort((a, b) => (keyOf(a, keyField) ?? '').localeCompare(keyOf(b, keyField) ?? ''));
    }
    return items.length === 0 ? undefined : items;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (IGNORED.has(k)) continue;
    if (k in VALUE_DEFAULTS && stableStringify(VALUE_DEFAULTS[k]) === stableStringify(v)) continue;
    const n = normalizeValue(v, k, opts);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Without git_source, `source: WORKSPACE` is the default for notebook and Python file tasks. */
function dropDefaultSource(task: Json): void {
  if (!isObject(task)) return;
  for (const field of ['notebook_task', 'spark_python_task']) {
    const spec = task[field];
    if (isObject(spec) && spec['source'] === 'WORKSPACE') delete spec['source'];
  }
  const inner = isObject(task['for_each_task']) ? task['for_each_task']['task'] : undefined;
  if (inner !== undefined) dropDefaultSource(inner);
}

/** Settings in the form used for hashing and diffing (see the module comment). */
export function normalizeSettings(settings: unknown, opts: NormalizeOptions = {}): JsonObject {
  const raw = toJson(settings);
  const out = (isObject(raw) ? normalizeValue(raw, '', opts) : undefined) ?? {};
  if (!isObject(out)) return {};
  const tags = out['tags'];
  if (isObject(tags)) {
    delete tags[TAG_HASH];
    if (Object.keys(tags).length === 0) delete out['tags'];
  }
  if (out['git_source'] === undefined && Array.isArray(out['tasks'])) out['tasks'].forEach(dropDefaultSource);
  const runAs = out['run_as'];
  if (opts.currentUser !== undefined && isObject(runAs) && Object.keys(runAs).length === 1 && runAs['user_name'] === opts.currentUser) {
    delete out['run_as'];
  }
  return out;
}

/** First 16 hex digits of sha256 over the stable JSON of the normalised settings. */
export function settingsHash(normalized: JsonObject): string {
  return sha256Hex(stableStringify(normalized)).slice(0, 16);
}

export function tagsOf(settings: unknown): Record<string, string> {
  const tags = isObject(settings) ? settings['tags'] : undefined;
  const out: Record<string, string> = {};
  if (isObject(tags)) for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** `<bundle name>/<target>`: which project and target own a job. */
export function ownerValue(bundleName: string, target: string): string {
  return `${bundleName}/${target}`;
}

/** Whether a field as written compares equal to leaving it out (`false`, `0`, `{}`, the API's defaults). */
export function meansDefault(key: string, value: Json): boolean {
  return Object.keys(normalizeSettings({ [key]: value })).length === 0;
}
