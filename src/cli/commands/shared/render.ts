/** Human renderings of plans and deploy results. */
import type { DeployResult } from '../../../deploy/deploy.js';
import { renderChange } from '../../../deploy/diff.js';
import type { FilesPlan } from '../../../deploy/files.js';
import type { JobAction } from '../../../deploy/planner.js';
import type { ProjectPlan } from '../../../deploy/project-plan.js';
import { renderKept } from '../../../deploy/prune.js';
import { jobUrl } from '../../../deploy/remote-jobs.js';
import type { ResolvedProject } from '../../../project/index.js';

const SYMBOL: Record<JobAction['kind'], string> = { create: '+', update: '~', skip: '=', delete: '-' };

export function renderTarget(project: ResolvedProject, owner: string): string {
  const { target } = project;
  const files = target.filesReason !== undefined ? `files root ${target.filePath}: ${target.filesReason}\n` : '';
  return `target ${target.name}: ${target.reason}\nowner tag brickyard-project=${owner}, root ${target.rootPath}\n${files}`;
}

export function renderFilesPlan(files: FilesPlan, limit = 50): string {
  const uploads = files.changes.filter((c) => c.op === '+').length;
  const deletes = files.changes.length - uploads;
  const lines = [`Files → ${files.dest}: ${uploads} to upload, ${deletes} to delete, ${files.unchanged} unchanged`];
  for (const c of files.changes.slice(0, limit)) lines.push(`  ${c.op} ${c.remotePath}${c.reason ? ` (${c.reason})` : ''}`);
  if (files.changes.length > limit) lines.push(`  … and ${files.changes.length - limit} more`);
  for (const k of files.kept ?? []) lines.push(`  = ${k} (no longer in the project; kept by --no-prune)`);
  return lines.join('\n') + '\n';
}

function actionLine(a: JobAction, host: string): string[] {
  const id = 'jobId' in a ? ` (job ${a.jobId})` : '';
  const head = `  ${SYMBOL[a.kind]} ${a.kind === 'skip' ? 'unchanged' : a.kind} ${a.name} [${a.resourceKey}]${id}`;
  const out: string[] = [];
  switch (a.kind) {
    case 'create':
      out.push(head);
      break;
    case 'update': {
      const why = { adopt: ' — adopt the existing job (found by name) and tag it', force: ' — --force', changed: '', drift: ' — edited in the workspace since the last deploy; re-applies the configuration' }[a.reason];
      const stamp = a.reason === 'changed' && a.changes !== undefined && a.changes.length === 0 ? ' — settings already match; writes the new hash tag' : '';
      out.push(head + why + stamp);
      if (a.reason !== 'drift' && a.drift && a.drift.length > 0) out.push(`      drift: ${a.drift.join(', ')} changed in the workspace since the last deploy`);
      for (const c of a.changes ?? []) out.push(`      ${renderChange(c)}`);
      break;
    }
    case 'skip':
      out.push(`${head} ${jobUrl(host, a.jobId)}`);
      break;
    case 'delete':
      out.push(`${head} — ${a.reason === 'duplicate' ? 'a second job owned for the same key' : 'no longer declared in the project (--no-prune keeps it)'}`);
      break;
  }
  return out;
}

/** Per kind, plus `drift`: the updates that revert edits made in the workspace. */
export function countActions(actions: readonly JobAction[]): Record<JobAction['kind'] | 'drift', number> {
  const counts = { create: 0, update: 0, drift: 0, skip: 0, delete: 0 };
  for (const a of actions) {
    counts[a.kind]++;
    if (a.kind === 'update' && a.reason === 'drift') counts.drift++;
  }
  return counts;
}

export function renderPlan(project: ResolvedProject, plan: ProjectPlan, host: string): string {
  const out = [renderTarget(project, plan.owner)];
  if (plan.files) out.push(renderFilesPlan(plan.files));
  out.push(`Jobs:\n`);
  if (plan.jobs.actions.length === 0) out.push('  (no jobs configured)\n');
  for (const a of plan.jobs.actions) out.push(actionLine(a, host).join('\n') + '\n');
  for (const line of renderKept(plan.jobs.kept)) out.push(line + '\n');
  const c = countActions(plan.jobs.actions);
  const fileChanges = plan.files?.changes.length ?? 0;
  out.push(`Plan: ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.drift} drifted, ${c.skip} unchanged; ${fileChanges} file change(s).\n`);
  return out.join('');
}

/** `filesSummary`: the seed-style sync summary block, when files were synced. */
export function renderDeploy(project: ResolvedProject, result: DeployResult, filesSummary?: string): string {
  const out = [renderTarget(project, result.owner)];
  if (result.files) {
    const f = result.files;
    out.push(`Files → ${f.dest}: ${f.uploaded} uploaded, ${f.deleted} deleted, ${f.unchanged} unchanged, ${f.skipped} skipped\n`);
    if (f.overwritten?.length) out.push(`Overwrote ${f.overwritten.length} file(s) changed in the workspace since the last sync: ${f.overwritten.join(', ')}\n`);
    if (filesSummary !== undefined) out.push(filesSummary);
  }
  for (const j of result.jobs) {
    const verb = { create: 'created', update: 'updated', skip: 'unchanged', delete: j.reason === 'removed' ? 'deleted (no longer declared)' : 'deleted' }[j.action];
    const drifted = j.action === 'update' && j.reason === 'drift';
    out.push(`  ${SYMBOL[j.action]} ${j.name} [${j.resourceKey}] ${verb}${j.url ? ` ${j.url}` : j.jobId !== undefined ? ` (job ${j.jobId})` : ''}\n`);
    if (drifted) out.push('      it had been edited in the workspace; overwrote (workspace → configuration):\n');
    for (const c of j.changes ?? []) out.push(`      ${renderChange(c)}\n`);
  }
  for (const line of renderKept(result.kept)) out.push(line + '\n');
  out.push(result.changed ? 'Deploy complete.\n' : 'No changes.\n');
  return out.join('');
}
