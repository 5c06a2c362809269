/**
 * Where `--param k=v` goes in run-now. Databricks does not accept job_parameters together with
 * task-level parameters: a job that defines job `parameters` gets job_parameters (names checked);
 * a job without them but with notebook tasks gets notebook_params (merged over base_parameters).
 */
import { UserError } from '../core/errors.js';
import { isObject, type Json } from './settings.js';

export interface RunParams {
  job_parameters?: Record<string, string>;
  notebook_params?: Record<string, string>;
}

export function parseParams(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UserError('BY_USAGE', `--param expects name=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function hasNotebookTask(tasks: Json | undefined): boolean {
  return Array.isArray(tasks) && tasks.some((t) => isObject(t) && (isObject(t['notebook_task']) || (isObject(t['for_each_task']) && hasNotebookTask([t['for_each_task']['task'] ?? null]))));
}

export function routeParams(jobName: string, settings: Json, params: Record<string, string>): RunParams {
  if (Object.keys(params).length === 0) return {};
  const s = isObject(settings) ? settings : {};
  const defined = Array.isArray(s['parameters']) ? s['parameters'].flatMap((p) => (isObject(p) && typeof p['name'] === 'string' ? [p['name']] : [])) : [];
  if (defined.length > 0) {
    const unknown = Object.keys(params).filter((k) => !defined.includes(k));
    if (unknown.length > 0) {
      throw new UserError('BY_USAGE', `job '${jobName}' has no job parameter ${unknown.map((u) => `'${u}'`).join(', ')}`, { hint: `its parameters: ${defined.join(', ')}` });
    }
    return { job_parameters: params };
  }
  if (hasNotebookTask(s['tasks'])) return { notebook_params: params };
  throw new UserError('BY_USAGE', `job '${jobName}' defines no job parameters and has no notebook task, so --param has nowhere to go`, {
    hint: 'add `parameters` to the job settings',
  });
}
