/**
 * Merging located configuration trees the way Databricks Asset Bundles does:
 * - mappings merge recursively, the later value wins for scalars;
 * - sequences are concatenated;
 * - when a target overrides a job, its `tasks` are merged by `task_key`, `job_clusters` by
 *   `job_cluster_key`, `parameters` by `name` and `environments` by `environment_key` (so a target
 *   can override one task of a job without repeating the others).
 * Source positions are carried over entry by entry.
 */
import { KEYED_ARRAYS } from '../api/job-settings.js';
import { cloneLocated, containerPos, entryPos, isPlainObject, setEntryPos, setMeta, type PlainObject } from './source.js';

/** Merge `src` into `dst` in place. `dst` must be owned by the caller (cloned). */
export function mergeInto(dst: PlainObject, src: PlainObject): void {
  for (const [key, sv] of Object.entries(src)) {
    const dv = dst[key];
    if (isPlainObject(dv) && isPlainObject(sv)) {
      mergeInto(dv, sv);
      continue;
    }
    if (Array.isArray(dv) && Array.isArray(sv)) {
      dst[key] = concatLocated(dv, sv);
      continue;
    }
    if (sv === null && dv !== undefined) continue; // `key:` with no value does not erase
    dst[key] = cloneLocated(sv);
    setEntryPos(dst, key, entryPos(src, key), containerPos(src));
  }
}

function concatLocated(a: unknown[], b: unknown[]): unknown[] {
  const out: unknown[] = [];
  const self = containerPos(a) ?? containerPos(b);
  if (self !== undefined) setMeta(out, self);
  const push = (from: unknown[], i: number) => {
    out.push(cloneLocated(from[i]));
    setEntryPos(out, out.length - 1, entryPos(from, i), self);
  };
  a.forEach((_, i) => push(a, i));
  b.forEach((_, i) => push(b, i));
  return out;
}

/**
 * `base` with the elements of `extra` merged in: an element whose `keyField` matches an element of
 * `base` is merged into it, others are appended. Duplicates inside `base` are left alone (they are
 * reported by validation).
 */
export function mergeListByKey(base: unknown[], extra: unknown[], keyField: string): unknown[] {
  const out = concatLocated(base, []);
  const keyOf = (item: unknown) => (isPlainObject(item) && typeof item[keyField] === 'string' ? item[keyField] : undefined);
  extra.forEach((item, i) => {
    const k = keyOf(item);
    const target = k === undefined ? undefined : out.find((o) => keyOf(o) === k);
    if (isPlainObject(target) && isPlainObject(item)) {
      mergeInto(target, item);
      return;
    }
    out.push(cloneLocated(item));
    setEntryPos(out, out.length - 1, entryPos(extra, i), containerPos(extra));
  });
  return out;
}

/** A target's override merges the keyed arrays of job settings by key, as bundles do. */
const JOB_KEYED_LISTS: Readonly<Record<string, string>> = KEYED_ARRAYS;

/** Merge a target's override of a job into the job (in place). */
export function mergeJobOverride(base: PlainObject, override: PlainObject): void {
  const rest: PlainObject = {};
  setMeta(rest, containerPos(override) ?? containerPos(base) ?? { file: '', line: 1, col: 1 });
  for (const [k, v] of Object.entries(override)) {
    const keyField = JOB_KEYED_LISTS[k];
    const current = base[k];
    if (keyField !== undefined && Array.isArray(v) && Array.isArray(current)) {
      base[k] = mergeListByKey(current, v, keyField);
      continue;
    }
    rest[k] = v;
    setEntryPos(rest, k, entryPos(override, k));
  }
  mergeInto(base, rest);
}

/** Merge a target's `resources` into the configuration's (in place); jobs merge task by task. */
export function mergeResourcesOverride(root: PlainObject, resources: PlainObject): void {
  const rest: PlainObject = {};
  setMeta(rest, containerPos(resources) ?? { file: '', line: 1, col: 1 });
  for (const [k, v] of Object.entries(resources)) {
    if (k !== 'jobs' || !isPlainObject(v)) {
      rest[k] = v;
      setEntryPos(rest, k, entryPos(resources, k));
      continue;
    }
    if (!isPlainObject(root['resources'])) {
      root['resources'] = setMetaAndReturn({}, containerPos(resources));
    }
    const res = root['resources'] as PlainObject;
    if (!isPlainObject(res['jobs'])) {
      res['jobs'] = setMetaAndReturn({}, containerPos(v));
      setEntryPos(res, 'jobs', entryPos(resources, 'jobs'), containerPos(resources));
    }
    const jobs = res['jobs'] as PlainObject;
    for (const [key, job] of Object.entries(v)) {
      const current = jobs[key];
      if (isPlainObject(current) && isPlainObject(job)) {
        mergeJobOverride(current, job);
      } else {
        jobs[key] = cloneLocated(job);
        setEntryPos(jobs, key, entryPos(v, key), containerPos(v));
      }
    }
  }
  const wrapper: PlainObject = { resources: rest };
  setMeta(wrapper, containerPos(resources) ?? { file: '', line: 1, col: 1 });
  mergeInto(root, wrapper);
}

function setMetaAndReturn(o: PlainObject, pos: ReturnType<typeof containerPos>): PlainObject {
  if (pos !== undefined) setMeta(o, pos);
  return o;
}
