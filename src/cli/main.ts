import { parseArgs } from 'node:util';
import { ExitCode, UserError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { globalOptions, type CliIO, type Command } from './command.js';
import { allCommands } from './commands/index.js';
import { version } from './version.js';

/** Runs the CLI and returns its exit code; only bin/ turns that into process.exit. */
export async function main(argv: string[], io: CliIO, commands: Command[] = allCommands()): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`brickyard ${version}\n`);
    return ExitCode.ok;
  }
  const match = findCommand(commands, argv);
  if (!match) {
    const wantsHelp = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    (wantsHelp ? io.stdout : io.stderr)(renderHelp(commands, argv));
    return wantsHelp ? ExitCode.ok : ExitCode.usage;
  }
  const { command, rest } = match;
  const json = rest.includes('--json');
  io = command.revealsSecrets ? io : redactingIO(io);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UserError('BY_USAGE', (err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), {
        hint: `run \`brickyard ${command.path.join(' ')} --help\` for usage`,
      });
    }
    if (parsed.values.help === true) {
      io.stdout(renderCommandHelp(command));
      return ExitCode.ok;
    }
    if (!command.positionals && parsed.positionals.length > 0) {
      throw new UserError('BY_USAGE', `unexpected argument: ${parsed.positionals[0]}`, { hint: `run \`brickyard ${command.path.join(' ')} --help\` for usage` });
    }
    // The injected clock's timers are unref'd (a server must not be kept up by them), so a command
    // that only waits on them (run polling, --wait-lock) would let Node exit mid-command.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      return await command.run({ values: parsed.values as never, positionals: parsed.positionals, io, json });
    } finally {
      clearInterval(keepAlive);
    }
  } catch (err) {
    return reportError(err, io, json);
  }
}

/** Every line a command prints passes through `redact` (see revealsSecrets). */
function redactingIO(io: CliIO): CliIO {
  return { ...io, stdout: (t) => io.stdout(redact(t)), stderr: (t) => io.stderr(redact(t)) };
}

export function reportError(err: unknown, io: CliIO, json: boolean): number {
  if (err instanceof UserError) {
    if (json) io.stdout(JSON.stringify({ ok: false, error: { code: err.code, message: redact(err.message), hint: err.hint } }) + '\n');
    else io.stderr(redact(`error ${err.code}: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`) + '\n');
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.stdout(JSON.stringify({ ok: false, error: { code: 'BY_INTERNAL', message: redact(message) } }) + '\n');
  else io.stderr(redact(`internal error: ${message}\n${err instanceof Error && err.stack ? err.stack.split('\n').slice(1, 6).join('\n') : ''}`) + '\n');
  return ExitCode.internal;
}

function findCommand(commands: Command[], argv: string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

function renderHelp(commands: Command[], argv: string[]): string {
  const head = argv.length && !['--help', '-h', 'help'].includes(argv[0]!) ? `unknown command: ${argv.join(' ')}\n\n` : '';
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `${head}brickyard ${version} — run a Databricks workspace as code\n\nUsage: brickyard <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --json and --help.\n`;
}

function renderCommandHelp(c: Command): string {
  const opts = Object.entries(c.options).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${o.multiple ? ' (repeatable)' : ''}`);
  return `brickyard ${c.path.join(' ')} — ${c.summary}\n${c.usage ? `\n${c.usage}\n` : ''}\nOptions:\n${opts.join('\n')}\n  --json\n  --help\n`;
}
