/**
 * `brickyard bundle <verb>`: the Databricks CLI spelling (`databricks bundle validate`) that CI
 * scripts and habits use, for the verbs brickyard has. Each is the same command under a longer path.
 */
import type { Command } from '../command.js';
import { deployCommand } from './deploy.js';
import { destroyCommand } from './destroy.js';
import { runCommand } from './run.js';
import { summaryCommand } from './summary.js';
import { validateCommand } from './validate.js';

export function bundleAliases(): Command[] {
  return [validateCommand, deployCommand, runCommand, destroyCommand, summaryCommand].map((c) => ({
    ...c,
    path: ['bundle', ...c.path],
    summary: `same as \`brickyard ${c.path.join(' ')}\` (Databricks CLI spelling)`,
  }));
}
