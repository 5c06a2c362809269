import { resolveMap, resolveReferences, type ReferenceContext } from './references.js';
import type { JobSettings, Task } from '../../../api/job-settings.js';
import type { JobParameterValue, LegacyOverrides } from './model.js';

/**
 * Parameter precedence as Databricks documents it: job parameters (definitions' defaults,
 * overridden by run-now `job_parameters`) are pushed down to notebook and run-job tasks and win
 * over task parameters with the same key; legacy `notebook_params` / `python_params` from run-now
 * override a task's `base_parameters` / `parameters`.
 */

/** The run's job parameters: every definition plus every extra name run-now passed. */
export function jobParameterValues(
  /** read from stored settings, where a definition's default may be missing */
  definitions: ReadonlyArray<{ name: string; default?: string | undefined }> | undefined,
  overrides: Record<string, string> | undefined,
  refs: ReferenceContext,
): JobParameterValue[] {
  const out: JobParameterValue[] = [];
  const seen = new Set<string>();
  for (const d of definitions ?? []) {
    seen.add(d.name);
    const given = overrides?.[d.name];
    const base = given ?? d.default ?? '';
    const item: JobParameterValue = { name: d.name, value: resolveReferences(base, refs) };
    if (d.default !== undefined) item.default = d.default;
    out.push(item);
  }
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (seen.has(name)) continue;
    out.push({ name, value: resolveReferences(value, refs) });
  }
  return out;
}

export function parameterMap(values: JobParameterValue[] | null | undefined): Record<string, string> {
  return Object.fromEntries((values ?? []).map((p) => [p.name, p.value]));
}

/** Widget values for a notebook task: base_parameters < notebook_params < job parameters. */
export function notebookParameters(task: Task, jobParams: Record<string, string>, overrides: LegacyOverrides | null | undefined, refs: ReferenceContext): Record<string, string> {
  const base = { ...(task.notebook_task?.base_parameters ?? {}), ...(overrides?.notebook_params ?? {}) };
  return { ...resolveMap(base, refs), ...jobParams };
}

/** argv for a spark_python_task: run-now python_params replace the task's parameters. */
export function pythonArgv(task: Task, overrides: LegacyOverrides | null | undefined, refs: ReferenceContext): string[] {
  const argv = overrides?.python_params ?? task.spark_python_task?.parameters ?? [];
  return argv.map((a) => resolveReferences(a, refs));
}

/**
 * A run_job_task's parameters for the child run: its own job_parameters (references resolved),
 * overridden by the parent's job parameters of the same name the child job defines.
 */
export function childJobParameters(
  task: Task,
  parentParams: Record<string, string>,
  childDefinitions: JobSettings['parameters'],
  refs: ReferenceContext,
): Record<string, string> {
  const own = resolveMap(task.run_job_task?.job_parameters ?? {}, refs);
  const childNames = new Set([...(childDefinitions ?? []).map((d) => d.name), ...Object.keys(own)]);
  const pushed = Object.fromEntries(Object.entries(parentParams).filter(([k]) => childNames.has(k)));
  return { ...own, ...pushed };
}
