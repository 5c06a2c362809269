/** `brickyard --help` and `brickyard <command> --help`, rendered from the command declarations. */
import { globalOptions, type Command } from './command.js';
import { flagColumnWidth, renderOptionLines } from './options.js';
import { version } from './version.js';

const VERSION_FLAG = '-v, --version';

export function renderHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => commandName(c).length));
  const lines = commands.map((c) => `  ${commandName(c).padEnd(width)}  ${c.summary}`);
  return [
    `brickyard ${version} — run a Databricks workspace as code`,
    '',
    'Usage: brickyard <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    ...renderOptionLines(globalOptions, VERSION_FLAG.length),
    `  ${VERSION_FLAG}  print the version and exit`,
    '',
    'Run `brickyard <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export async function renderCommandHelp(c: Command): Promise<string> {
  const out = [`brickyard ${c.path.join(' ')} — ${c.summary}`, ''];
  const usage = typeof c.usage === 'function' ? await c.usage() : c.usage;
  if (usage !== undefined) out.push(usage, '');
  const positionals = c.positionals ?? [];
  if (positionals.length > 0) {
    const width = Math.max(...positionals.map((p) => p.name.length));
    out.push('Arguments:', ...positionals.map((p) => `  ${p.name.toUpperCase().padEnd(width)}  ${p.description}`), '');
  }
  const width = flagColumnWidth({ ...c.options, ...globalOptions });
  if (Object.keys(c.options).length > 0) out.push('Options:', ...renderOptionLines(c.options, width), '');
  out.push('Global options:', ...renderOptionLines(globalOptions, width), '');
  return out.join('\n');
}

/** `run JOB`: the words and the positional placeholders. */
function commandName(c: Command): string {
  return [...c.path, ...(c.positionals ?? []).map((p) => (p.optional === true ? `[${p.name.toUpperCase()}]` : p.name.toUpperCase()))].join(' ');
}
