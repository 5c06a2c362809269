import { defineOptions, type OptionDecls, type OptionValues, type ParsedOptions } from './options.js';

/** What a command may touch: injected so tests run `main()` in-process with captured output. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean;
  /** True when stderr is a terminal (progress told on stderr); absent: it is not. */
  stderrIsTTY?: boolean;
  /** Resolves when the user presses Ctrl-C; commands that run long race against it. */
  interrupted: Promise<void>;
  /**
   * Asks the person at the terminal and resolves with the line typed; absent when nobody can answer
   * (CI, pipes), and then commands take their safe default.
   */
  ask?: (question: string) => Promise<string>;
  /**
   * Called before a command that ends by itself (not `servesUntilStopped`). bin/ makes V8 compile
   * WebAssembly once, without the optimizing tier: the tier-up of undici's HTTP parser runs in the
   * background and process exit waits for it, ≈ 140 ms at the end of every command that made a request.
   */
  beforeShortCommand?: () => void;
}

/** A positional argument, e.g. JOB; required unless `optional` (then only the last ones, and absent from `positionals` when not given). */
export interface PositionalDecl<Name extends string = string> {
  /** the key in `run`'s `positionals`; shown upper-cased in `--help` */
  name: Name;
  description: string;
  optional?: boolean;
}

/** Options every command understands (main handles them; `run` gets `json`). */
export const globalOptions = defineOptions({
  json: { type: 'boolean', description: 'print one JSON object on stdout instead of text (errors included)' },
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
});

export interface RunArgs<Options extends OptionDecls, Positional extends string> {
  options: OptionValues<Options>;
  positionals: Readonly<Record<Positional, string>>;
  io: CliIO;
  json: boolean;
}

export type CommandUsage = string | (() => Promise<string>);

/** A command as written: `run` sees its options typed from their declarations. */
export interface CommandDefinition<Options extends OptionDecls, Positional extends string> {
  /** Words that select the command, e.g. ['jobs', 'deploy'] or ['up']. */
  path: readonly string[];
  summary: string;
  /**
   * Synopsis and notes shown by `--help` above the options; a function when they need something
   * that costs a load (init's list of templates), so that declaring the command stays cheap.
   */
  usage?: CommandUsage;
  options: Options;
  positionals?: readonly PositionalDecl<Positional>[];
  /**
   * Output is redacted (tokens, passwords, registered secrets) unless the command's purpose is to
   * show a secret once (`up` prints the admin token it just minted).
   */
  revealsSecrets?: boolean;
  /** Runs until stopped (a server, a worker): keeps V8's optimizing WebAssembly tier (PGlite is WebAssembly). */
  servesUntilStopped?: boolean;
  run(args: RunArgs<Options, Positional>): Promise<number>;
}

/** A command as main() sees it: declarations plus a `run` taking what parseCommandLine produced. */
export interface Command {
  path: readonly string[];
  summary: string;
  usage?: CommandUsage;
  options: OptionDecls;
  /** none when absent */
  positionals?: readonly PositionalDecl[];
  revealsSecrets?: boolean;
  servesUntilStopped?: boolean;
  run(args: { options: ParsedOptions; positionals: Readonly<Record<string, string>>; io: CliIO; json: boolean }): Promise<number>;
}

export function defineCommand<const Options extends OptionDecls, const Positional extends string = never>(definition: CommandDefinition<Options, Positional>): Command {
  const clash = Object.keys(definition.options).find((name) => name in globalOptions);
  if (clash !== undefined) throw new Error(`command ${definition.path.join(' ')} redeclares the global option --${clash}`);
  return {
    path: definition.path,
    summary: definition.summary,
    ...(definition.usage !== undefined ? { usage: definition.usage } : {}),
    options: definition.options,
    ...(definition.positionals !== undefined ? { positionals: definition.positionals } : {}),
    ...(definition.revealsSecrets !== undefined ? { revealsSecrets: definition.revealsSecrets } : {}),
    ...(definition.servesUntilStopped !== undefined ? { servesUntilStopped: definition.servesUntilStopped } : {}),
    // parseCommandLine builds `options` from these same declarations, so the values have the declared types
    run: (args) => definition.run(args as unknown as RunArgs<Options, Positional>),
  };
}
