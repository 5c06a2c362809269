/**
 * Writing pulled changes into databricks.yml in place: only the fields that differ are touched,
 * through the `yaml` Document API, so comments, key order and `${var.*}` references elsewhere
 * survive. Paths come from the settings diff (`tasks[train].timeout_seconds`): keyed list items
 * are found by their key field.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { FieldChange } from './diff.js';
import { isObject, type Json } from './settings.js';

const KEY_FIELDS: Record<string, string> = {
  tasks: 'task_key',
  job_clusters: 'job_cluster_key',
  environments: 'environment_key',
  parameters: 'name',
  depends_on: 'task_key',
};

type Segment = { field: string } | { field: string; key: string };

/** `a.b[k].c` → [{a}, {b, key k}, {c}] */
export function parseChangePath(path: string): Segment[] {
  const out: Segment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)(?:\[([^\]]+)\])?/g)) {
    const field = m[1] as string;
    out.push(m[2] !== undefined ? { field, key: m[2] } : { field });
  }
  return out;
}

/** YAML node path (field names and list indexes) for a change path, or undefined if a keyed item is missing. */
function nodePath(doc: Document, base: (string | number)[], segs: Segment[]): (string | number)[] | undefined {
  const path = [...base];
  for (const s of segs) {
    path.push(s.field);
    if (!('key' in s)) continue;
    const seq = doc.getIn(path, true);
    if (!isSeq(seq)) return undefined;
    const keyField = KEY_FIELDS[s.field] ?? 'key';
    const index = seq.items.findIndex((item) => isMap(item) && String(item.get(keyField)) === s.key);
    if (index < 0) return undefined;
    path.push(index);
  }
  return path;
}

/** Applies changes (local → remote) under `base` (e.g. ['resources','jobs','train']); returns the new text. */
export function applyChangesToYaml(text: string, base: (string | number)[], changes: readonly FieldChange[]): string {
  const doc = parseDocument(text);
  for (const c of changes) {
    const segs = parseChangePath(c.path);
    const last = segs[segs.length - 1];
    if (last === undefined) continue;
    if ('key' in last && c.op === '+') {
      // a new keyed item (e.g. a task): append it to its list
      const listPath = nodePath(doc, base, [...segs.slice(0, -1), { field: last.field }]);
      if (listPath === undefined) continue;
      const seq = doc.getIn(listPath, true);
      if (isSeq(seq)) seq.add(doc.createNode(c.after as Json));
      else doc.setIn(listPath, doc.createNode([c.after as Json]));
      continue;
    }
    const path = nodePath(doc, base, segs);
    if (path === undefined) {
      if (c.op !== '-') throw new Error(`cannot place ${c.path} in the YAML document`);
      continue;
    }
    if (c.op === '-') doc.deleteIn(path);
    else doc.setIn(path, doc.createNode(c.after as Json));
  }
  return doc.toString();
}

/** Adds a whole job under resources.jobs.<key> (a job the file does not define yet). */
export function addJobToYaml(text: string, key: string, settings: Json): string {
  const doc = parseDocument(text);
  if (!isObject(settings)) throw new Error('job settings must be an object');
  doc.setIn(['resources', 'jobs', key], doc.createNode(settings));
  return doc.toString();
}
