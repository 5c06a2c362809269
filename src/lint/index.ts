/**
 * `brickyard lint`: the project's conventions, checked offline. Jobs (names, task keys, parameter
 * names) come from the resolved project; notebooks and code files are the ones the sync would upload
 * (so .gitignore and sync.exclude apply).
 */
import fs from 'node:fs';
import path from 'node:path';
import { LintConfigSchema, type LintConfig } from '../project/schema-lint.js';
import { locate, parseLocated } from '../project/source.js';
import type { ResolvedProject } from '../project/index.js';
import { UserError } from '../core/errors.js';
import { discover } from '../sync/discover.js';
import { lintSource, type LintFinding } from './notebooks.js';
import { resolveRules, type LintRules } from './rules.js';

export type { LintFinding } from './notebooks.js';

const CODE_EXTENSIONS = new Set(['.py', '.ipynb', '.sql', '.scala', '.r']);

/** The `lint:` section of databricks.yml (undefined for --config projects, or when absent). */
export function readLintConfig(project: ResolvedProject): LintConfig | undefined {
  if (project.kind !== 'bundle') return undefined;
  const file = project.files[0];
  if (file === undefined) return undefined;
  const parsed = parseLocated(fs.readFileSync(path.join(project.projectRoot, file), 'utf8'), file);
  const section = (parsed.value as Record<string, unknown> | null)?.['lint'];
  if (section === undefined) return undefined;
  const result = LintConfigSchema.safeParse(section);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = locate(parsed.value, ['lint', ...(issue?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p))], parsed.pos);
  throw new UserError('BY_CONFIG', `${where.file}:${where.line}:${where.col}: lint.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, {
    hint: 'each naming rule is its convention name, off, or { pattern, severity }; severities are error, warning, off',
  });
}

export function lintProject(project: ResolvedProject, config: LintConfig | undefined): LintFinding[] {
  const rules = resolveRules(config);
  const findings = [...lintJobs(project, rules), ...lintFiles(project, rules)];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

const DEV_PREFIX = /^\[dev [^\]]*\] /;

function lintJobs(project: ResolvedProject, rules: LintRules): LintFinding[] {
  const out: LintFinding[] = [];
  const add = (rule: LintFinding['rule'], severity: LintRules['secrets'], pos: { file: string; line: number; col: number }, message: string, hint: string) => {
    if (severity !== 'off') out.push({ rule, severity, file: pos.file, line: pos.line, col: pos.col, message, hint });
  };
  for (const job of project.jobs) {
    const name = (job.settings.name ?? job.resourceKey).replace(DEV_PREFIX, '');
    if (!rules.jobs.pattern.test(name)) {
      add('jobs', rules.jobs.severity, locate(job.raw, ['name'], job.source), `job name "${name}" is not ${rules.jobs.convention}`, 'e.g. fraud-training-daily');
    }
    if (project.kind === 'bundle' && !rules.identifiers.pattern.test(job.resourceKey)) {
      add('identifiers', rules.identifiers.severity, job.source, `job key "${job.resourceKey}" is not ${rules.identifiers.convention}`, 'e.g. fraud_training');
    }
    (job.settings.tasks ?? []).forEach((task, i) => {
      if (!rules.identifiers.pattern.test(task.task_key)) {
        add('identifiers', rules.identifiers.severity, locate(job.raw, ['tasks', i, 'task_key'], job.source), `task key "${task.task_key}" is not ${rules.identifiers.convention}`, 'e.g. train_model');
      }
      for (const key of Object.keys(task.notebook_task?.base_parameters ?? {})) {
        if (!rules.identifiers.pattern.test(key)) {
          const pos = locate(job.raw, ['tasks', i, 'notebook_task', 'base_parameters', key], job.source, 'key');
          add('identifiers', rules.identifiers.severity, pos, `parameter name "${key}" is not ${rules.identifiers.convention}`, 'e.g. test_size');
        }
      }
    });
  }
  return out;
}

function lintFiles(project: ResolvedProject, rules: LintRules): LintFinding[] {
  const discovery = discover({ sourceRoot: project.projectRoot, include: project.sync.include, exclude: project.sync.exclude });
  return discovery.entries
    .filter((e) => CODE_EXTENSIONS.has(path.extname(e.relPath).toLowerCase()))
    .flatMap((e) => lintSource(e.relPath, fs.readFileSync(e.localPath, 'utf8'), rules));
}
