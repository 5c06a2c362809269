import { apiErrors } from '../../../core/errors.js';
import { patchSingleTask, withoutSingleTaskFields } from './legacy.js';
import { KEYED_ARRAYS, type KeyedArrayName } from '../../../api/job-settings.js';

type Obj = Record<string, unknown>;

function isKeyedArray(name: string): name is KeyedArrayName {
  return Object.hasOwn(KEYED_ARRAYS, name);
}

function keyOf(item: unknown, keyField: string): string | undefined {
  const v = item && typeof item === 'object' ? (item as Obj)[keyField] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Items of `update` replace same-key items of `current` in place; new keys are appended. */
function mergeByKey(current: unknown, update: unknown[], keyField: string, field: string): unknown[] {
  const out = Array.isArray(current) ? [...current] : [];
  for (const [i, item] of update.entries()) {
    const key = keyOf(item, keyField);
    if (key === undefined) throw apiErrors.invalidParameter(`Missing required field: new_settings.${field}[${i}].${keyField}`);
    const at = out.findIndex((x) => keyOf(x, keyField) === key);
    if (at === -1) out.push(item);
    else out[at] = item;
  }
  return out;
}

/** Removes a top-level field, or one keyed element with `tasks/<key>` (also job_clusters/, parameters/, environments/). */
function removeField(settings: Obj, spec: string): void {
  const slash = spec.indexOf('/');
  if (slash === -1) {
    delete settings[spec];
    return;
  }
  const field = spec.slice(0, slash);
  const key = spec.slice(slash + 1);
  if (!isKeyedArray(field) || key === '') {
    throw apiErrors.invalidParameter(`Invalid value for fields_to_remove: '${spec}' — only top-level fields and tasks/<task_key>, job_clusters/<job_cluster_key>, parameters/<name>, environments/<environment_key> can be removed`);
  }
  const list = Array.isArray(settings[field]) ? (settings[field] as unknown[]) : [];
  const kept = list.filter((x) => keyOf(x, KEYED_ARRAYS[field]) !== key);
  if (kept.length === list.length) throw apiErrors.invalidParameter(`Invalid value for fields_to_remove: '${spec}' — the job has no ${field} entry with ${KEYED_ARRAYS[field]} '${key}'`);
  settings[field] = kept;
}

/**
 * jobs/update: `fields_to_remove` first, then `new_settings` — top-level fields replaced,
 * tasks / job_clusters / parameters / environments merged by key. API 2.0 top-level task fields
 * patch the job's only task.
 */
export function applyUpdate(current: Obj, newSettings: Obj, fieldsToRemove: string[]): Obj {
  const settings: Obj = structuredClone(current);
  for (const spec of fieldsToRemove) removeField(settings, spec);
  const hasTasks = Array.isArray(newSettings['tasks']);
  if (!hasTasks) {
    const patched = patchSingleTask(settings['tasks'], newSettings);
    if (patched.length > 0) settings['tasks'] = patched;
  }
  for (const [field, value] of Object.entries(withoutSingleTaskFields(newSettings))) {
    if (isKeyedArray(field) && Array.isArray(value)) settings[field] = mergeByKey(settings[field], value, KEYED_ARRAYS[field], field);
    else if (value === null) delete settings[field];
    else settings[field] = value;
  }
  return settings;
}
