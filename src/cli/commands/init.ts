import type { InitOutput } from '../../api/cli-project-output.js';
import path from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { DEFAULT_TEMPLATE } from '../../init/default-template.js';
import { defineCommand } from '../command.js';
import { version } from '../version.js';

export const initCommand = defineCommand({
  path: ['init'],
  summary: 'create a new project: databricks.yml, notebooks, tests, .gitignore and a GitHub Actions workflow',
  // the templates are read from the package (and their manifests checked) only when help is shown
  usage: async () => {
    const { listTemplates } = await import('../../init/templates.js');
    return [
      'brickyard init [DIR] [--template default|jobs-json] [--name NAME]',
      'DIR defaults to the current directory and is created if needed. Files that already exist are never overwritten:',
      'they are listed as kept. Templates:',
      ...listTemplates().map((t) => `  ${t.name}: ${t.description}`),
    ].join('\n');
  },
  options: {
    template: { type: 'string', valueName: 'NAME', default: DEFAULT_TEMPLATE, description: 'project layout: default (databricks.yml) or jobs-json (config/*.json per branch, as seed 000)' },
    name: { type: 'string', valueName: 'NAME', description: 'project name (bundle name, workspace folder); defaults to the directory name' },
  },
  positionals: [{ name: 'dir', description: 'directory of the new project (default: the current directory)', optional: true }],
  async run({ options, positionals, io, json }) {
    const { checkProjectName, initProject } = await import('../../init/templates.js');
    const given = (positionals as Partial<Record<'dir', string>>).dir;
    const dir = path.resolve(io.cwd, given ?? '.');
    const projectName = checkProjectName(options.name ?? path.basename(dir));
    const result = initProject(dir, options.template, { projectName, brickyardVersion: version });
    if (json) {
      io.stdout(JSON.stringify({ ok: true, dir, template: result.template, name: projectName, created: result.created, kept: result.kept } satisfies InitOutput) + '\n');
      return ExitCode.ok;
    }
    const lines = [`brickyard init: ${projectName} (template ${result.template}) in ${dir}`];
    for (const f of result.created) lines.push(`  created ${f}`);
    for (const f of result.kept) lines.push(`  kept    ${f} (exists; not overwritten)`);
    if (result.created.length === 0) lines.push('Nothing created: every file of the template already exists.');
    const cd = given === undefined ? '' : `cd ${given} && `;
    const project = result.template === 'jobs-json' ? ' --config config/databricks_job_config.json' : '';
    lines.push(
      '',
      'Next steps:',
      `  ${cd}git init -b dev && python3 -m pip install -r requirements.txt`,
      `  brickyard validate${project} && python3 -m unittest discover -s tests`,
      '  brickyard up --write-profile local        # in another terminal: a local workspace',
      result.template === 'jobs-json' ? `  brickyard deploy${project} --profile local` : '  brickyard deploy --target local && brickyard run medallion --target local',
      'The GitHub Actions workflow (.github/workflows/deploy.yml) does the same on every push, then deploys dev and main',
      'to Databricks with the repository secrets DATABRICKS_HOST and DATABRICKS_TOKEN.',
    );
    io.stdout(lines.join('\n') + '\n');
    return ExitCode.ok;
  },
});
