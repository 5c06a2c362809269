/**
 * The option declarations shared by several commands, and the project paragraph of their usage.
 * Light on purpose (no project loader, no SDK): `--help` renders from these without loading what runs the command.
 */
import { defineOptions, type OptionValues } from '../../options.js';

export const projectOptions = defineOptions({
  target: { type: 'string', short: 't', valueName: 'NAME', description: 'the databricks.yml target, or the --config-for branch, to use', defaultText: 'picked by the git branch, else the default target' },
  var: { type: 'string[]', valueName: 'NAME=VALUE', description: 'set a databricks.yml variable' },
  config: { type: 'string[]', valueName: 'FILE', description: 'a Jobs API JobSettings JSON file of the project (instead of databricks.yml)' },
  'config-for': { type: 'string[]', valueName: 'BRANCH=FILE', description: "a JobSettings JSON file used when the git branch matches BRANCH (a glob such as release/*)" },
  project: { type: 'string', valueName: 'NAME', description: 'project name of --config files (ownership tag and root path segment)', defaultText: 'the git origin repository name' },
});

/** plan and deploy: what happens to owned jobs the project no longer declares */
export const pruneOptions = defineOptions({
  'no-prune': { type: 'boolean', description: 'keep jobs, synced files and Unity Catalog/identity objects this project owns but no longer declares (listed as kept) instead of deleting or retiring them' },
});

export const remoteOptions = defineOptions({
  profile: { type: 'string', short: 'p', valueName: 'NAME', description: '~/.databrickscfg profile to connect with', defaultText: "the target's workspace.profile, else the Databricks SDK's own lookup (DATABRICKS_HOST, …)" },
});

/** The options every project command declares (validate, plan, deploy, sync, run, pull, destroy). */
export type ProjectOptionValues = OptionValues<typeof projectOptions & typeof remoteOptions>;

export const PROJECT_USAGE = [
  'Project: databricks.yml in this directory or a parent (targets chosen by --target or git branch),',
  'or standalone Jobs API JobSettings files: --config FILE (repeatable) deploys every file given;',
  '--config-for BRANCH=FILE (repeatable) deploys only the files of the current git branch',
  '(BRICKYARD_GIT_BRANCH or .git/HEAD; --target BRANCH overrides), with the branch as the target.',
  'The project name of --config files (their ownership tag) is the git origin repository name, else the',
  "git top-level directory's name, else this directory's; --project NAME sets it.",
].join('\n');

/** The options of the `datasets` commands: they only connect. */
export const datasetOptions = { ...remoteOptions };
