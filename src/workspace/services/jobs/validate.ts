import { apiErrors } from '../../../core/errors.js';
import { checkJobSettings } from '../../../project/validate.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith } from '../../http/body.js';
import type { Principal } from '../identity/principal.js';
import { clusterExists } from '../clusters/local-cluster.js';
import { assertMayRunAs } from './run-as.js';
import { checkTriggers } from './triggers.js';
import { JobSettingsSchema, type JobSettings, type Task } from '../../../api/job-settings.js';

/** Databricks allows at most this many tags on a job. */
export const MAX_JOB_TAGS = 25;

/**
 * Validates settings for create/reset/update (after merging) and fills in the defaults
 * Databricks reports back. The semantic rules are the CLI's (src/project checkJobSettings), so
 * `brickyard validate` and the local workspace agree; the first error becomes a 400
 * INVALID_PARAMETER_VALUE naming the field. `current` is the job edited (its run-as identity may stay).
 */
export async function prepareSettings(ctx: WorkspaceContext, raw: unknown, caller: Principal, fieldPrefix = '', current?: { runAsUserName: string }): Promise<JobSettings> {
  const settings = parseWith(JobSettingsSchema, raw);
  const named = (path: string) => (fieldPrefix === '' ? path : `${fieldPrefix}.${path}`);

  const problem = checkJobSettings(settings).find((f) => f.severity === 'error');
  if (problem) {
    if (problem.apiMessage !== undefined) throw apiErrors.invalidParameter(problem.apiMessage);
    const hint = problem.hint === '' ? '' : ` (${problem.hint})`;
    throw apiErrors.invalidParameter(`Invalid value for ${named(problem.path)}: ${problem.message}${hint}`);
  }

  const tags = Object.keys(settings.tags ?? {});
  if (tags.length > MAX_JOB_TAGS) throw apiErrors.invalidParameter(`Invalid value for ${named('tags')}: a job can have at most ${MAX_JOB_TAGS} tags, got ${tags.length}`);

  for (const [i, task] of (settings.tasks ?? []).entries()) {
    await checkCluster(ctx, task, named(`tasks[${i}]`));
    const inner = task.for_each_task?.task;
    if (inner) await checkCluster(ctx, inner, named(`tasks[${i}].for_each_task.task`));
  }

  await checkTriggers(ctx, settings, named);
  await assertMayRunAs(ctx, caller, settings.run_as, current?.runAsUserName);
  return withDefaults(settings);
}

async function checkCluster(ctx: WorkspaceContext, task: Pick<Task, 'existing_cluster_id'>, path: string): Promise<void> {
  const id = task.existing_cluster_id;
  if (id !== undefined && !(await clusterExists(ctx, id))) {
    throw apiErrors.invalidParameter(`Invalid value for ${path}.existing_cluster_id: Cluster ${id} does not exist`);
  }
}

/** The defaults Databricks fills in and returns on get (so clients diffing settings see them). */
function withDefaults(settings: JobSettings): JobSettings {
  const notebookSource = settings['git_source'] === undefined ? 'WORKSPACE' : 'GIT';
  const tasks = settings.tasks?.map((t) => ({
    run_if: 'ALL_SUCCESS' as const,
    timeout_seconds: 0,
    email_notifications: {},
    ...t,
    ...(t.notebook_task ? { notebook_task: { ...t.notebook_task, source: t.notebook_task.source ?? notebookSource } } : {}),
  }));
  return {
    name: 'Untitled',
    email_notifications: {},
    webhook_notifications: {},
    timeout_seconds: 0,
    max_concurrent_runs: 1,
    ...settings,
    ...(tasks ? { tasks } : {}),
    // `format` is accepted and ignored: every stored job is multi-task
    format: 'MULTI_TASK',
  };
}
