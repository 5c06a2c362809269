import type { ValidateOutput } from '../../api/cli-project-output.js';
import { ExitCode } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/options.js';

export const validateCommand = defineCommand({
  path: ['validate'],
  summary: 'check the project configuration offline (no credentials needed)',
  usage: `brickyard validate [--target T] [--var k=v] [--config FILE] [--config-for BRANCH=FILE]\n${PROJECT_USAGE}\nExit 2 when there are errors, 0 otherwise (warnings allowed). Never connects: --profile is accepted and unused.`,
  // --profile is accepted so that every command takes the same flags in CI scripts
  options: { ...projectOptions, ...remoteOptions },
  async run({ options, io, json }) {
    const { formatDiagnostic, hasErrors } = await import('../../project/index.js');
    const { loadAllForValidate, mergeDiagnostics } = await import('./shared/project.js');
    const loaded = loadAllForValidate(io, options);
    const diagnostics = mergeDiagnostics(loaded);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    const jobs = loaded.flatMap((l) =>
      l.project.jobs.map((j) => ({ key: j.resourceKey, name: j.settings.name ?? j.resourceKey, target: l.project.target.name, source: `${j.source.file}:${j.source.line}` })),
    );
    if (json) {
      const targets = loaded.map((l) => ({ name: l.project.target.name, reason: l.project.target.reason, files_root: l.project.target.filePath, ...(l.project.target.filesReason !== undefined ? { files_reason: l.project.target.filesReason } : {}) }));
      io.stdout(JSON.stringify({ ok: errors === 0, errors, warnings, diagnostics, jobs, targets } satisfies ValidateOutput) + '\n');
    } else {
      for (const d of diagnostics) io.stdout(formatDiagnostic(d) + '\n');
      const targets = loaded.map((l) => `${l.project.target.name} (${l.project.target.reason})`).join('; ');
      io.stdout(`${errors === 0 ? 'ok' : 'invalid'}: ${jobs.length} job(s), ${errors} error(s), ${warnings} warning(s) — target ${targets}\n`);
      for (const l of loaded) {
        const t = l.project.target;
        if (t.filesReason !== undefined) io.stdout(`files → ${t.filePath} (${t.filesReason})\n`);
        const uc = l.project.uc;
        if (uc !== undefined) {
          const counts = { users: uc.users, service_principals: uc.servicePrincipals, groups: uc.groups, catalogs: uc.catalogs, schemas: uc.schemas, user_schemas: uc.userSchemas, volumes: uc.volumes };
          io.stdout(`unity catalog and identity: ${Object.entries(counts).filter(([, list]) => list.length > 0).map(([k, list]) => `${list.length} ${k}`).join(', ')}\n`);
        }
      }
    }
    return hasErrors(diagnostics) ? ExitCode.usage : ExitCode.ok;
  },
});
