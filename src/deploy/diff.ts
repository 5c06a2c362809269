/**
 * Field-level differences between two normalised job settings. Keyed arrays (tasks by task_key,
 * job_clusters by job_cluster_key, ...) are matched by key, so the path reads
 * `tasks[ml_training_task].timeout_seconds` and reordering is no change.
 */
import { KEYED_ARRAYS, TASK_KEYED_ARRAYS } from '../api/job-settings.js';
import { stableStringify } from '../core/hash.js';
import { implicitDefault, isObject, type Json } from './settings.js';

/** `+` added, `-` removed, `~` changed */
export const FIELD_CHANGE_OPS = ['+', '-', '~'] as const;

export interface FieldChange {
  op: (typeof FIELD_CHANGE_OPS)[number];
  path: string;
  before?: Json;
  after?: Json;
}

/** Arrays whose items are matched by a key field rather than by position. */
export const KEY_FIELDS: Record<string, string> = { ...KEYED_ARRAYS, ...TASK_KEYED_ARRAYS };

function same(a: Json | undefined, b: Json | undefined): boolean {
  return stableStringify(a) === stableStringify(b);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function byKey(list: Json[], keyField: string): Map<string, Json> | undefined {
  const out = new Map<string, Json>();
  for (const item of list) {
    const k = isObject(item) ? item[keyField] : undefined;
    if (typeof k !== 'string' || out.has(k)) return undefined;
    out.set(k, item);
  }
  return out;
}

function onlyDefaultedFields(v: Json | undefined): boolean {
  return isObject(v) && Object.keys(v).length > 0 && Object.entries(v).every(([k, x]) => implicitDefault(k, x) !== undefined);
}

function walk(before: Json | undefined, after: Json | undefined, path: string, field: string, out: FieldChange[]): void {
  if (same(before, after)) return;
  // normalisation drops defaults (max_concurrent_runs: 1, false, 0): going from one is a change,
  // also inside an object made only of such fields (email_notifications.no_alert_for_skipped_runs)
  if (before === undefined && onlyDefaultedFields(after)) before = {};
  if (after === undefined && onlyDefaultedFields(before)) after = {};
  if (before === undefined) {
    const was = after === undefined ? undefined : implicitDefault(field, after);
    out.push(was === undefined ? { op: '+', path, after: after as Json } : { op: '~', path, before: was, after: after as Json });
    return;
  }
  if (after === undefined) {
    const becomes = implicitDefault(field, before);
    out.push(becomes === undefined ? { op: '-', path, before } : { op: '~', path, before, after: becomes });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(before[k], after[k], join(path, k), k, out);
    return;
  }
  const keyField = KEY_FIELDS[field];
  if (keyField !== undefined && Array.isArray(before) && Array.isArray(after)) {
    const a = byKey(before, keyField);
    const b = byKey(after, keyField);
    if (a !== undefined && b !== undefined) {
      const keys = [...new Set([...a.keys(), ...b.keys()])];
      for (const k of keys) walk(a.get(k), b.get(k), `${path}[${k}]`, '', out);
      return;
    }
  }
  out.push({ op: '~', path, before, after });
}

/** Changes that turn `before` into `after`. */
export function diffSettings(before: Json, after: Json): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', '', out);
  return out;
}

export function renderValue(v: Json | undefined, max = 80): string {
  const text = JSON.stringify(v) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `~ tasks[train].timeout_seconds: 3600 → 7200` */
export function renderChange(c: FieldChange): string {
  if (c.op === '+') return `+ ${c.path}: ${renderValue(c.after)}`;
  if (c.op === '-') return `- ${c.path}: ${renderValue(c.before)}`;
  return `~ ${c.path}: ${renderValue(c.before)} → ${renderValue(c.after)}`;
}

/** The top-level-ish field names a set of changes touches, e.g. `tasks[train].timeout_seconds, schedule`. */
export function changedFields(changes: readonly FieldChange[]): string[] {
  return [...new Set(changes.map((c) => c.path))];
}
