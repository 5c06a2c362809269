/**
 * Writing pulled changes into a standalone JSON job config: the file's own object with only the
 * fields that differ changed, so fields the server fills in (`run_if`, empty notification blocks,
 * zero timeouts) never appear and keys keep their order. Paths come from the settings diff.
 */
import { KEY_FIELDS, type FieldChange } from './diff.js';
import { parseChangePath } from './pull-yaml.js';
import { isObject, meansDefault, toJson, type Json, type JsonObject } from './settings.js';

type Container = JsonObject | Json[];

/** The object a path's last segment lives in, created on the way when `create`; undefined when a keyed item is missing. */
function parentOf(root: JsonObject, segs: ReturnType<typeof parseChangePath>, create: boolean): { parent: Container; last: string | number } | undefined {
  let node: Container = root;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as (typeof segs)[number];
    const isLast = i === segs.length - 1;
    if (Array.isArray(node)) return undefined;
    if (isLast && !('key' in s)) return { parent: node, last: s.field };
    let child: Json | undefined = node[s.field];
    if (child === undefined && create && !('key' in s)) child = node[s.field] = {};
    if ('key' in s) {
      if (!Array.isArray(child)) return undefined;
      const keyField = KEY_FIELDS[s.field] ?? 'key';
      const index = child.findIndex((item) => isObject(item) && String(item[keyField]) === s.key);
      if (index < 0) return undefined;
      if (isLast) return { parent: child, last: index };
      node = child[index] as Container;
      continue;
    }
    if (!isObject(child)) return undefined;
    node = child;
  }
  return undefined;
}

/**
 * The pulled value for a field, keeping what the file wrote that means "default" (e.g.
 * `no_alert_for_skipped_runs: false` when the workspace added `on_failure` next to it): the
 * comparison ignores such values, so replacing the object would silently drop them.
 */
function keepWritten(existing: Json | undefined, incoming: Json): Json {
  if (!isObject(existing) || !isObject(incoming)) return incoming;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(existing)) {
    if (k in incoming) out[k] = keepWritten(v, incoming[k] as Json);
    else if (meansDefault(k, v)) out[k] = v;
  }
  for (const [k, v] of Object.entries(incoming)) if (!(k in out)) out[k] = v;
  return out;
}

/** Applies changes (local → remote) to a copy of the file's settings object. */
export function applyChangesToJson(original: JsonObject, changes: readonly FieldChange[]): JsonObject {
  const out = toJson(original) as JsonObject;
  for (const c of changes) {
    const segs = parseChangePath(c.path);
    const last = segs[segs.length - 1];
    if (last === undefined) continue;
    if ('key' in last && c.op === '+') {
      // a new keyed item (e.g. a task): append it to its list
      const list = parentOf(out, [...segs.slice(0, -1), { field: last.field }], true);
      if (list === undefined || Array.isArray(list.parent)) throw new Error(`cannot place ${c.path} in the JSON file`);
      const have = list.parent[list.last];
      list.parent[list.last] = [...(Array.isArray(have) ? have : []), c.after as Json];
      continue;
    }
    const at = parentOf(out, segs, c.op !== '-');
    if (at === undefined) {
      if (c.op !== '-') throw new Error(`cannot place ${c.path} in the JSON file`);
      continue;
    }
    if (Array.isArray(at.parent)) {
      if (c.op === '-') at.parent.splice(at.last as number, 1);
      else at.parent[at.last as number] = keepWritten(at.parent[at.last as number], c.after as Json);
    } else if (c.op === '-') delete at.parent[at.last as string];
    else at.parent[at.last as string] = keepWritten(at.parent[at.last as string], c.after as Json);
  }
  return out;
}
