import type { ErrorOutput } from '../api/cli-project-output.js';
import { ExitCode, UserError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { globalOptions, type CliIO, type Command } from './command.js';
import { renderCommandHelp, renderHelp } from './help.js';
import { parseCommandLine } from './options.js';
import { version } from './version.js';

/**
 * Runs the CLI and returns its exit code; only bin/ turns that into process.exit. `commands`
 * defaults to every command, loaded after `--version` (declarations only: each command loads
 * what it runs with when it runs).
 */
export async function main(argv: string[], io: CliIO, given?: Command[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`brickyard ${version}\n`);
    return ExitCode.ok;
  }
  const commands = given ?? (await import('./commands/index.js')).allCommands();
  // `brickyard help deploy` is `brickyard deploy --help`
  const helpFor = argv[0] === 'help' ? findCommand(commands, argv.slice(1)) : undefined;
  if (helpFor) {
    io.stdout(await renderCommandHelp(helpFor.command));
    return ExitCode.ok;
  }
  const match = findCommand(commands, argv);
  if (!match) {
    const wantsHelp = argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help';
    if (wantsHelp) io.stdout(renderHelp(commands));
    else io.stderr(`unknown command: ${argv.join(' ')}\n\n${renderHelp(commands)}`);
    return wantsHelp ? ExitCode.ok : ExitCode.usage;
  }
  const { command, rest } = match;
  const json = rest.includes('--json');
  io = command.revealsSecrets ? io : redactingIO(io);
  try {
    const helpHint = `run \`brickyard ${command.path.join(' ')} --help\` for usage`;
    const parsed = parseCommandLine(rest, { ...globalOptions, ...command.options }, io.env, helpHint);
    if (parsed.options.help === true) {
      io.stdout(await renderCommandHelp(command));
      return ExitCode.ok;
    }
    const positionals = bindPositionals(command, parsed.positionals, helpHint);
    if (command.servesUntilStopped !== true) io.beforeShortCommand?.();
    // The injected clock's timers are unref'd (a server must not be kept up by them), so a command
    // that only waits on them (run polling, --wait-lock) would let Node exit mid-command.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      return await command.run({ options: parsed.options, positionals, io, json });
    } finally {
      clearInterval(keepAlive);
    }
  } catch (err) {
    return reportError(err, io, json);
  }
}

/** Every declared positional is required unless optional; extra ones are refused. */
function bindPositionals(command: Command, given: readonly string[], hint: string): Record<string, string> {
  const declared = command.positionals ?? [];
  const bound: Record<string, string> = {};
  declared.forEach((p, i) => {
    const value = given[i];
    if (value === undefined && p.optional === true) return;
    if (value === undefined) throw new UserError('BY_USAGE', `missing ${p.name.toUpperCase()}: ${p.description}`, { hint });
    bound[p.name] = value;
  });
  const extra = given[declared.length];
  if (extra !== undefined) throw new UserError('BY_USAGE', `unexpected argument: ${extra}`, { hint });
  return bound;
}

/** Every line a command prints passes through `redact` (see revealsSecrets). */
function redactingIO(io: CliIO): CliIO {
  return { ...io, stdout: (t) => io.stdout(redact(t)), stderr: (t) => io.stderr(redact(t)) };
}

export function reportError(err: unknown, io: CliIO, json: boolean): number {
  if (err instanceof UserError) {
    if (json) io.stdout(JSON.stringify({ ok: false, error: { code: err.code, message: redact(err.message), hint: err.hint } } satisfies ErrorOutput) + '\n');
    else io.stderr(redact(`error ${err.code}: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`) + '\n');
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (json) io.stdout(JSON.stringify({ ok: false, error: { code: 'BY_INTERNAL', message: redact(message) } } satisfies ErrorOutput) + '\n');
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
