import type { LintOutput } from '../../api/cli-project-output.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/options.js';

export const lintCommand = defineCommand({
  path: ['lint'],
  summary: "check the project's conventions: table, job and identifier names; no tokens, workspace URLs or shared writes in notebooks",
  usage: [
    'brickyard lint [--target T] [--config FILE] ...',
    PROJECT_USAGE,
    'Rules (configurable in the lint: section of databricks.yml, each convention | off | { pattern, severity }):',
    '  tables: catalog.schema.noun_noun   jobs: domain-action-frequency   identifiers: snake_case',
    '  secrets: hard-coded dapi… tokens and workspace URLs   shared_writes: writes to shared_catalogs / shared_schemas (shared_*)',
    'Diagnostics are file:line:col. Exit 1 when there are errors, 2 when the configuration is invalid, 0 otherwise.',
  ].join('\n'),
  // --profile is accepted so that every command takes the same flags in CI scripts
  options: { ...projectOptions, ...remoteOptions },
  async run({ options, io, json }) {
    const { lintProject, readLintConfig } = await import('../../lint/index.js');
    const { loadAllForValidate } = await import('./shared/project.js');
    const loaded = loadAllForValidate(io, options);
    // --config-for loads one project per branch: their files are the same, so findings are deduplicated
    const seen = new Set<string>();
    const findings = loaded
      .flatMap((l) => lintProject(l.project, readLintConfig(l.project)))
      .filter((f) => {
        const key = JSON.stringify(f);
        return seen.has(key) ? false : (seen.add(key), true);
      });
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (json) io.stdout(JSON.stringify({ ok: errors === 0, errors, warnings: findings.length - errors, findings } satisfies LintOutput) + '\n');
    else {
      for (const f of findings) io.stdout(`${f.file}:${f.line}:${f.col}: ${f.severity} ${f.rule} — ${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}\n`);
      io.stdout(`${errors === 0 ? 'ok' : 'lint failed'}: ${errors} error(s), ${findings.length - errors} warning(s)\n`);
    }
    return errors > 0 ? ExitCode.failure : ExitCode.ok;
  },
});
