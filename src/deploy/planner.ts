/**
 * The deploy planner: a pure function from the desired jobs and what the workspace holds to the
 * actions that converge them. No I/O; `plan` and `deploy` both use it.
 *
 * Matching: a job carrying our ownership tag (`brickyard-project: <bundle>/<target>`,
 * `brickyard-resource: <key>`) is ours; otherwise a job with exactly the desired name and no
 * ownership tag is adopted; two such jobs are a conflict (both ids named). Owned jobs that are no
 * longer declared are deleted, unless `--no-prune` or `lifecycle.prevent_destroy` keeps them (prune.ts);
 * for plain `--config` files, keys the other files beside them declare are not undeclared.
 *
 * Change detection: the `brickyard-hash` tag written with the settings says what we deployed. Equal
 * to the desired hash → nothing to change in the configuration. The job's settings as jobs/list
 * returned them (tasks included, see listJobs) hash to the same value unless someone edited the job
 * after the deploy: that is drift, and the job is re-applied (git is the source of truth). Full
 * settings from jobs/get, when supplied, replace a listing truncated at 100 tasks.
 */
import { diffSettings, type FieldChange } from './diff.js';
import { finalizeDesired, hashOf, referencedJobs, type DesiredJob, type KnownJob } from './desired.js';
import type { PruneKept } from './prune.js';
import { normalizeSettings, TAG_HASH, TAG_PREVENT_DESTROY, TAG_PROJECT, TAG_RESOURCE, type Json, type JsonObject } from './settings.js';

export interface RemoteJobSummary {
  jobId: number;
  name: string;
  tags: Record<string, string>;
  /** the settings as jobs/list returned them (tasks and job clusters included) */
  settings?: JsonObject;
  /** jobs/list cut the tasks or job clusters at 100: `settings` is not the whole job */
  truncated?: boolean;
  /** creator_user_name: who a job without run_as runs as (the server's default run_as) */
  creator?: string;
}

export interface PlanInput {
  /** `<bundle>/<target>` */
  owner: string;
  desired: DesiredJob[];
  /** every job in the workspace (jobs/list) */
  remote: RemoteJobSummary[];
  /** full settings (jobs/get) of some remote jobs, by job id */
  remoteSettings?: ReadonlyMap<number, JsonObject>;
  /** re-apply every job */
  force?: boolean;
  /** delete owned jobs the configuration no longer declares (default true; false: `--no-prune` keeps and reports them) */
  prune?: boolean;
  /** resource keys declared by configuration files this run does not load (plain `--config`: the other files beside them) */
  declaredElsewhere?: ReadonlySet<string>;
  currentUser?: string | undefined;
}

/** The job actions and their reasons, which the CLI's `--json` schemas take as they are. */
export const JOB_ACTION_KINDS = ['create', 'update', 'skip', 'delete'] as const;
export const UPDATE_REASONS = ['changed', 'adopt', 'force', 'drift'] as const;
export const DELETE_REASONS = ['removed', 'duplicate'] as const;

interface Base {
  resourceKey: string;
  name: string;
}
export interface CreateAction extends Base {
  kind: 'create';
  /** keys of jobs that must be created first (their ids are referenced) */
  after: string[];
}
export interface UpdateAction extends Base {
  kind: 'update';
  jobId: number;
  /** `drift`: the configuration is unchanged but the job was edited in the workspace; it is re-applied */
  reason: (typeof UPDATE_REASONS)[number];
  /** remote → desired (what the update overwrites), when the remote settings are known */
  changes?: FieldChange[];
  /** fields that differ from what the last deploy wrote: someone changed them in the workspace */
  drift?: string[];
  after: string[];
}
export interface SkipAction extends Base {
  kind: 'skip';
  jobId: number;
}
export interface DeleteAction extends Base {
  kind: 'delete';
  jobId: number;
  reason: (typeof DELETE_REASONS)[number];
}
export type JobAction = CreateAction | UpdateAction | SkipAction | DeleteAction;

export interface JobPlan {
  actions: JobAction[];
  /** owned jobs no longer declared that stay (`--no-prune`, `lifecycle.prevent_destroy`) */
  kept: PruneKept[];
  /** problems that block a deploy (name conflicts, tag limits) */
  conflicts: string[];
  /** resource key → the remote job matched to it */
  matched: Map<string, RemoteJobSummary>;
}

function nameOf(job: DesiredJob): string {
  const n = job.settings['name'];
  return typeof n === 'string' ? n : job.resourceKey;
}

function matchJobs(input: PlanInput, conflicts: string[], actions: JobAction[], kept: PruneKept[]): Map<string, RemoteJobSummary> {
  const matched = new Map<string, RemoteJobSummary>();
  const owned = input.remote.filter((j) => j.tags[TAG_PROJECT] === input.owner).sort((a, b) => a.jobId - b.jobId);
  for (const job of owned) {
    const key = job.tags[TAG_RESOURCE] ?? '';
    const wanted = input.desired.some((d) => d.resourceKey === key);
    if (wanted && !matched.has(key)) {
      matched.set(key, job);
      continue;
    }
    if (!wanted && input.declaredElsewhere?.has(key) === true) continue;
    const keep = job.tags[TAG_PREVENT_DESTROY] === 'true' ? 'prevent_destroy' : !wanted && input.prune === false ? 'no-prune' : undefined;
    if (keep !== undefined) kept.push({ resource: 'job', key, name: job.name, jobId: job.jobId, reason: keep });
    else actions.push({ kind: 'delete', resourceKey: key, name: job.name, jobId: job.jobId, reason: wanted ? 'duplicate' : 'removed' });
  }
  for (const d of input.desired) {
    if (matched.has(d.resourceKey)) continue;
    const name = nameOf(d);
    const sameName = input.remote.filter((j) => j.name === name);
    const unowned = sameName.filter((j) => j.tags[TAG_PROJECT] === undefined);
    const foreign = sameName.filter((j) => j.tags[TAG_PROJECT] !== undefined && j.tags[TAG_PROJECT] !== input.owner);
    if (unowned.length > 1) {
      conflicts.push(
        `job '${d.resourceKey}': ${unowned.length} jobs are named '${name}' and none is managed by brickyard (job ids ${unowned.map((j) => j.jobId).join(', ')}); delete or rename all but one, then deploy again to adopt it`,
      );
    } else if (unowned.length === 1) {
      matched.set(d.resourceKey, unowned[0] as RemoteJobSummary);
    } else if (foreign.length > 0) {
      const f = foreign[0] as RemoteJobSummary;
      conflicts.push(`job '${d.resourceKey}': a job named '${name}' (job id ${f.jobId}) is managed by another project/target (${f.tags[TAG_PROJECT]}); give this job another name`);
    }
  }
  return matched;
}

export function planJobs(input: PlanInput): JobPlan {
  const conflicts: string[] = [];
  const actions: JobAction[] = [];
  const kept: PruneKept[] = [];
  for (const d of input.desired) conflicts.push(...d.problems);
  const matched = matchJobs(input, conflicts, actions, kept);
  const known = new Map<string, KnownJob>();
  for (const [key, job] of matched) {
    const d = input.desired.find((x) => x.resourceKey === key);
    known.set(key, { jobId: job.jobId, name: d ? nameOf(d) : job.name });
  }

  const jobActions: JobAction[] = [];
  for (const d of input.desired) {
    const name = nameOf(d);
    const remote = matched.get(d.resourceKey);
    const after = [...referencedJobs(d.settings)].filter((k) => k !== d.resourceKey && !matched.has(k));
    if (remote === undefined) {
      jobActions.push({ kind: 'create', resourceKey: d.resourceKey, name, after });
      continue;
    }
    const final = finalizeDesired(d, known, input.currentUser);
    const full = input.remoteSettings?.get(remote.jobId) ?? (remote.truncated === true ? undefined : remote.settings);
    const stored = remote.tags[TAG_HASH];
    let changes: FieldChange[] | undefined;
    let drift: string[] | undefined;
    let remoteMatches = false;
    if (full !== undefined) {
      // the server fills in run_as = the creator; the deployer when known
      const user = input.currentUser ?? remote.creator;
      const desiredNorm = normalizeSettings('settings' in final ? final.settings : d.settings, { currentUser: user });
      changes = diffSettings(normalizeSettings(full, { currentUser: user }), desiredNorm);
      const remoteHash = hashOf(full, d.permissions as Json[] | undefined, user);
      if (stored !== undefined && remoteHash !== stored && changes.length > 0) drift = changes.map((c) => c.path);
      // the job already holds the new configuration (e.g. it was pulled from there): nothing to
      // write; without permissions in the hash, the settings are all there is to compare
      remoteMatches = 'settings' in final && d.permissions === undefined && remoteHash === final.hash;
    }
    const base = { resourceKey: d.resourceKey, name, jobId: remote.jobId };
    const diff = { ...(changes ? { changes } : {}), ...(drift ? { drift } : {}) };
    const ours = remote.tags[TAG_PROJECT] === input.owner;
    if (!ours) jobActions.push({ kind: 'update', ...base, reason: 'adopt', after, ...(changes ? { changes } : {}) });
    else if ((!('settings' in final) || final.hash !== stored) && !(remoteMatches && !input.force)) jobActions.push({ kind: 'update', ...base, reason: 'changed', after, ...diff });
    else if (input.force) jobActions.push({ kind: 'update', ...base, reason: 'force', after, ...diff });
    else if (drift !== undefined) jobActions.push({ kind: 'update', ...base, reason: 'drift', after, ...diff });
    else jobActions.push({ kind: 'skip', ...base });
  }
  return { actions: [...orderByReferences(jobActions), ...actions], kept, conflicts, matched };
}

/** Jobs whose ids others reference are created first. */
function orderByReferences(actions: JobAction[]): JobAction[] {
  const out: JobAction[] = [];
  const placed = new Set<string>();
  const byKey = new Map(actions.map((a) => [a.resourceKey, a]));
  const visit = (a: JobAction, path: Set<string>): void => {
    if (placed.has(a.resourceKey) || path.has(a.resourceKey)) return;
    path.add(a.resourceKey);
    const deps = a.kind === 'create' || a.kind === 'update' ? a.after : [];
    for (const k of deps) {
      const dep = byKey.get(k);
      if (dep) visit(dep, path);
    }
    placed.add(a.resourceKey);
    out.push(a);
  };
  for (const a of actions) visit(a, new Set());
  return out;
}

export function hasChanges(plan: JobPlan): boolean {
  return plan.actions.some((a) => a.kind !== 'skip');
}
