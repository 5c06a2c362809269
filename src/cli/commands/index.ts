import type { Command } from '../command.js';
import { upCommand } from './up.js';
import { syncCommand } from './sync.js';
import { validateCommand } from './validate.js';
import { planCommand } from './plan.js';
import { deployCommand } from './deploy.js';
import { runCommand } from './run.js';
import { pullCommand } from './pull.js';
import { destroyCommand } from './destroy.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';

export function allCommands(): Command[] {
  return [upCommand, syncCommand, validateCommand, planCommand, deployCommand, runCommand, pullCommand, destroyCommand, initCommand, lintCommand];
}
