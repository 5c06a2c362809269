/**
 * Writing pulled changes into databricks.yml in place: only the fields that differ are touched,
 * through the `yaml` Document API, so comments, key order and `${var.*}` references elsewhere
 * survive. Paths come from the settings diff (`tasks[train].timeout_seconds`): keyed list items
 * are found by their key field. A field set by the target's override is edited there; a value
 * written as a `${...}` reference is refused, never overwritten by a literal.
 */
import { isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { UserError } from '../core/errors.js';
import { KEY_FIELDS, type FieldChange } from './diff.js';
import { isObject, meansDefault, type Json } from './settings.js';

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

/** One place a job is written in YAML: `resources.jobs.<key>` or `targets.<t>.resources.jobs.<key>` of a file. */
export interface YamlJobLocation {
  file: string;
  base: (string | number)[];
}

type YamlPath = (string | number)[];

/** Where `segs` lead under `base`: the full node path, or where a `${...}` scalar stands in for the rest. */
function walk(doc: Document, base: YamlPath, segs: Segment[]): { path?: YamlPath; parent?: YamlPath; interpolated?: { node: unknown; path: YamlPath } } {
  const path: YamlPath = [...base];
  const interpolatedAt = (p: YamlPath) => {
    const node = doc.getIn(p, true);
    return isScalar(node) && typeof node.value === 'string' && node.value.includes('${') ? { node, path: [...p] } : undefined;
  };
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Segment;
    const blocked = interpolatedAt(path);
    if (blocked) return { interpolated: blocked };
    const parent = [...path];
    path.push(s.field);
    if ('key' in s) {
      const seq = doc.getIn(path, true);
      const stop = interpolatedAt(path);
      if (stop) return { interpolated: stop };
      if (!isSeq(seq)) return i === segs.length - 1 ? { parent } : {};
      const keyField = KEY_FIELDS[s.field] ?? 'key';
      const index = seq.items.findIndex((item) => isMap(item) && String(item.get(keyField)) === s.key);
      if (index < 0) return i === segs.length - 1 ? { parent } : {};
      path.push(index);
    }
    if (i === segs.length - 1) {
      const stop = interpolatedAt(path);
      if (stop) return { interpolated: stop };
      return doc.hasIn(path) ? { path, parent } : { parent };
    }
    if (!doc.hasIn(path)) return {};
  }
  return { path, parent: path };
}

/**
 * Sets an object value in place, keeping what the file wrote that means "default" (for example
 * `no_alert_for_skipped_runs: false` next to an `on_failure` the workspace added): the settings
 * comparison ignores such fields, so the value from the workspace lacks them, and replacing the
 * map would drop what the user wrote. Scalars change in place, so their comments stay.
 */
function setKeepingWritten(doc: Document, path: YamlPath, incoming: Json): void {
  const node = doc.getIn(path, true);
  if (!isMap(node) || !isObject(incoming)) {
    doc.setIn(path, doc.createNode(incoming));
    return;
  }
  for (const item of [...node.items]) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (key in incoming) continue;
    const written = (isNode(item.value) ? item.value.toJSON() : item.value) as Json;
    if (!meansDefault(key, written)) node.delete(item.key);
  }
  for (const [key, value] of Object.entries(incoming)) {
    const child = node.get(key, true);
    if (isScalar(child) && (value === null || typeof value !== 'object')) child.value = value;
    else if (isMap(child) && isObject(value)) setKeepingWritten(doc, [...path, key], value);
    else node.set(key, doc.createNode(value));
  }
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/**
 * Applies changes (local → remote) to a job written in `base` and possibly overridden in
 * `overrides` (the selected target's `resources.jobs.<key>`, which win when merged): a field the
 * override sets is edited there, everything else under the base. A value written as a `${...}`
 * reference is refused rather than replaced by a literal. Returns the new text of every file.
 */
export function applyChangesToBundle(texts: ReadonlyMap<string, string>, base: YamlJobLocation, overrides: readonly YamlJobLocation[], changes: readonly FieldChange[]): Map<string, string> {
  const docs = new Map<string, Document>();
  const docOf = (file: string): Document => {
    let doc = docs.get(file);
    if (doc === undefined) {
      doc = parseDocument(texts.get(file) ?? '');
      docs.set(file, doc);
    }
    return doc;
  };
  for (const c of changes) {
    const segs = parseChangePath(c.path);
    if (segs.length === 0) continue;
    const found = [...overrides, base].map((loc) => ({ loc, at: walk(docOf(loc.file), loc.base, segs) }));
    const refused = found.find((f) => f.at.interpolated !== undefined);
    if (refused?.at.interpolated !== undefined) {
      const { node, path } = refused.at.interpolated;
      const range = (node as { range?: [number, number, number] }).range;
      const where = `${refused.loc.file}${range ? `:${lineCol(texts.get(refused.loc.file) ?? '', range[0])}` : ''}`;
      throw new UserError('BY_PULL_INTERPOLATED', `cannot pull ${c.path}: its value comes from ${String((node as { value: unknown }).value)} at ${where} (${path.join('.')}); pull does not replace a reference with a literal`, {
        hint: `set the new value where the reference points (e.g. the variable's default or targets.<target>.variables), or edit ${c.path} by hand; the workspace has ${JSON.stringify(c.after ?? null)}`,
      });
    }
    // the value comes from where the full path is written, the override first (it wins the merge)
    // (an addition lands on what is written only when that is a map holding fields that mean "default")
    const written = found.find((f) => f.at.path !== undefined);
    const mergesInto = written?.at.path !== undefined && isMap(docOf(written.loc.file).getIn(written.at.path, true));
    const owner = c.op === '+' && !mergesInto ? undefined : written;
    if (owner?.at.path !== undefined) {
      const doc = docOf(owner.loc.file);
      const node = doc.getIn(owner.at.path, true);
      if (c.op === '-') doc.deleteIn(owner.at.path);
      // a scalar changed in place keeps its comment
      else if (isScalar(node) && (c.after === null || typeof c.after !== 'object')) node.value = c.after;
      else setKeepingWritten(doc, owner.at.path, c.after as Json);
      continue;
    }
    if (c.op === '-') continue;
    // a new field: under the base when the job's base has its parent, else where the parent is
    const home = [found[found.length - 1], ...found.slice(0, -1)].find((f) => f?.at.parent !== undefined);
    if (home === undefined && segs.every((seg) => !('key' in seg))) {
      docOf(base.file).setIn([...base.base, ...segs.map((seg) => seg.field)], docOf(base.file).createNode(c.after as Json));
      continue;
    }
    if (home === undefined) throw new UserError('BY_PULL_PLACE', `cannot place ${c.path} in ${base.file}: its parent is not written there`, { hint: 'add it by hand' });
    const doc = docOf(home.loc.file);
    const last = segs[segs.length - 1] as Segment;
    const parent = home.at.parent as YamlPath;
    if ('key' in last) {
      const listPath = [...parent, last.field];
      const seq = doc.getIn(listPath, true);
      if (isSeq(seq)) seq.add(doc.createNode(c.after as Json));
      else doc.setIn(listPath, doc.createNode([c.after as Json]));
    } else {
      doc.setIn([...parent, last.field], doc.createNode(c.after as Json));
    }
  }
  const out = new Map<string, string>();
  for (const [file, text] of texts) out.set(file, docs.get(file)?.toString() ?? text);
  return out;
}

/** Adds a whole job under resources.jobs.<key> (a job the file does not define yet). */
export function addJobToYaml(text: string, key: string, settings: Json): string {
  const doc = parseDocument(text);
  if (!isObject(settings)) throw new Error('job settings must be an object');
  doc.setIn(['resources', 'jobs', key], doc.createNode(settings));
  return doc.toString();
}
