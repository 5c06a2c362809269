/**
 * Located parsing: YAML and JSON files become plain JS values, and every object/array we create
 * remembers where each of its entries came from (file, line, col of the key and of the value).
 * Positions survive merging (entries are copied with their positions) and in-place edits, so a
 * field path in the final configuration can always be mapped back to the file that defined it.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { DiagnosticCode, makeDiagnostic, type Diagnostic, type PathSegment, type SourcePos } from './diagnostics.js';

export interface EntryPos {
  /** where the key is written (maps only) */
  key?: SourcePos;
  /** where the value starts */
  value: SourcePos;
}

interface ContainerMeta {
  self: SourcePos;
  entries: Map<PathSegment, EntryPos>;
}

const META = new WeakMap<object, ContainerMeta>();

export type PlainObject = Record<string, unknown>;

export function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Attach (or replace) position metadata for a container. */
export function setMeta(container: object, self: SourcePos): ContainerMeta {
  const meta: ContainerMeta = { self, entries: new Map() };
  META.set(container, meta);
  return meta;
}

export function containerPos(container: unknown): SourcePos | undefined {
  return typeof container === 'object' && container !== null ? META.get(container)?.self : undefined;
}

export function entryPos(container: unknown, key: PathSegment): EntryPos | undefined {
  return typeof container === 'object' && container !== null ? META.get(container)?.entries.get(key) : undefined;
}

export function setEntryPos(container: object, key: PathSegment, pos: EntryPos | undefined, self?: SourcePos): void {
  let meta = META.get(container);
  if (meta === undefined) {
    if (self === undefined && pos === undefined) return;
    meta = setMeta(container, self ?? pos?.key ?? (pos as EntryPos).value);
  }
  if (pos === undefined) meta.entries.delete(key);
  else meta.entries.set(key, pos);
}

/** The file that defined `container[key]` (or the container itself). */
export function fileOf(container: unknown, key?: PathSegment): string | undefined {
  if (key !== undefined) {
    const e = entryPos(container, key);
    if (e !== undefined) return e.value.file;
  }
  return containerPos(container)?.file;
}

/**
 * Position of `path` below `root`. Walks as deep as the path exists; a missing tail (e.g. a required
 * field that is absent) maps to the deepest container that exists. `want: 'key'` prefers the key
 * position (used for unknown-field warnings); otherwise scalars point at their value and
 * collections at their key.
 */
export function locate(root: unknown, path: readonly PathSegment[], fallback: SourcePos, want: 'key' | 'value' = 'value'): SourcePos {
  let cur: unknown = root;
  let best: SourcePos = containerPos(root) ?? fallback;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSegment;
    if (typeof cur !== 'object' || cur === null) break;
    const e = entryPos(cur, seg);
    const next: unknown = Array.isArray(cur) ? (cur as unknown[])[Number(seg)] : (cur as PlainObject)[String(seg)];
    if (e === undefined) {
      if (next === undefined) break;
      cur = next;
      best = containerPos(next) ?? best;
      continue;
    }
    const last = i === path.length - 1;
    const scalar = typeof next !== 'object' || next === null;
    best = last && want === 'key' ? (e.key ?? e.value) : scalar ? e.value : (e.key ?? e.value);
    cur = next;
  }
  return best;
}

export interface ParsedFile {
  value: unknown;
  /** position of the document start (line 1, col 1) */
  pos: SourcePos;
  diagnostics: Diagnostic[];
}

/** Parse YAML text (`.json` files go through the strict parser of source-json.ts). */
export function parseLocated(text: string, displayFile: string): ParsedFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): SourcePos => {
    const p = lc.linePos(offset);
    return { file: displayFile, line: p.line, col: p.col };
  };
  const start: SourcePos = { file: displayFile, line: 1, col: 1 };
  const diagnostics: Diagnostic[] = [];
  // only the first syntax error: the following ones are usually consequences of it
  for (const e of doc.errors.slice(0, 1)) {
    const pos = at(e.pos[0]);
    diagnostics.push(
      makeDiagnostic('error', DiagnosticCode.parse, pos, '', firstLine(e.message), 'fix the syntax error; the file was not loaded'),
    );
  }
  if (diagnostics.length > 0) return { value: undefined, pos: start, diagnostics };
  for (const w of doc.warnings) {
    diagnostics.push(makeDiagnostic('warning', DiagnosticCode.parse, at(w.pos[0]), '', firstLine(w.message), 'check the YAML syntax'));
  }
  const value = convert(doc, doc.contents, at, start, 0);
  return { value, pos: start, diagnostics };
}

function firstLine(msg: string): string {
  return msg.split('\n')[0]?.trim() ?? msg;
}

function nodeStart(node: unknown, at: (o: number) => SourcePos, fallback: SourcePos): SourcePos {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? at(range[0]) : fallback;
}

function convert(doc: Document, node: Node | null | unknown, at: (o: number) => SourcePos, fallback: SourcePos, depth: number): unknown {
  if (depth > 200) return null;
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return target === undefined ? null : convert(doc, target, at, fallback, depth + 1);
  }
  if (isScalar(node)) return node.value;
  const self = nodeStart(node, at, fallback);
  if (isSeq(node)) {
    const arr: unknown[] = [];
    const meta = setMeta(arr, self);
    node.items.forEach((item, i) => {
      arr.push(convert(doc, item, at, self, depth + 1));
      meta.entries.set(i, { value: nodeStart(item, at, self) });
    });
    return arr;
  }
  if (isMap(node)) {
    const obj: PlainObject = {};
    const meta = setMeta(obj, self);
    const merges: unknown[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      const rawKey = isScalar(keyNode) ? keyNode.value : keyNode;
      if (rawKey === '<<' && isScalar(keyNode)) {
        merges.push(convert(doc, pair.value, at, self, depth + 1));
        continue;
      }
      const key = rawKey === null || rawKey === undefined ? '' : typeof rawKey === 'object' ? JSON.stringify(rawKey) : String(rawKey);
      const keyPos = nodeStart(keyNode, at, self);
      obj[key] = convert(doc, pair.value, at, keyPos, depth + 1);
      meta.entries.set(key, { key: keyPos, value: pair.value === null ? keyPos : nodeStart(pair.value, at, keyPos) });
    }
    // YAML merge keys (`<<: *defaults`): explicit keys win
    for (const m of merges.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (!isPlainObject(m)) continue;
      for (const [k, v] of Object.entries(m)) {
        if (k in obj) continue;
        obj[k] = v;
        const e = entryPos(m, k);
        if (e !== undefined) meta.entries.set(k, e);
      }
    }
    return obj;
  }
  return null;
}

/** Deep copy that keeps positions (used before in-place edits of shared subtrees). */
export function cloneLocated<T>(value: T): T {
  if (Array.isArray(value)) {
    const out: unknown[] = value.map((v) => cloneLocated(v as unknown));
    copyMeta(value, out);
    return out as T;
  }
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneLocated(v);
    copyMeta(value, out);
    return out as T;
  }
  return value;
}

function copyMeta(from: object, to: object): void {
  const m = META.get(from);
  if (m !== undefined) META.set(to, { self: m.self, entries: new Map(m.entries) });
}
