import type { Command } from '../command.js';
import { upCommand } from './up.js';
import { syncCommand } from './sync.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';
import { deployCommand } from './deploy.js';
import { runCommand } from './run.js';
import { pullCommand } from './pull.js';
import { destroyCommand } from './destroy.js';
import { datasetsAddCommand } from './datasets-add.js';
import { datasetsListCommand } from './datasets-list.js';
import { datasetsStatusCommand } from './datasets-status.js';
import { datasetsSyncCommand } from './datasets-sync.js';
import { datasetsRmCommand } from './datasets-rm.js';
import { datasetsGetCommand } from './datasets-get.js';
import { workerCommand } from './worker.js';
import { summaryCommand } from './summary.js';
import { bundleAliases } from './bundle.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';

export function allCommands(): Command[] {
  return [
    upCommand, syncCommand, validateCommand, planCommand, deployCommand, runCommand, pullCommand, destroyCommand, summaryCommand, ...bundleAliases(),
    initCommand, lintCommand,
    datasetsAddCommand, datasetsListCommand, datasetsStatusCommand, datasetsSyncCommand, datasetsRmCommand, datasetsGetCommand, workerCommand];
}
