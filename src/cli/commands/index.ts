import type { Command } from '../command.js';
import { upCommand } from './up.js';
import { syncCommand } from './sync.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';
import { deployCommand } from './deploy.js';
import { runCommand } from './run.js';
import { pullCommand } from './pull.js';
import { destroyCommand } from './destroy.js';
import { summaryCommand } from './summary.js';
import { bundleAliases } from './bundle.js';

export function allCommands(): Command[] {
  return [upCommand, syncCommand, validateCommand, planCommand, deployCommand, runCommand, pullCommand, destroyCommand, summaryCommand, ...bundleAliases()];
}
