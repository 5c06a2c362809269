import type { ParseArgsConfig } from 'node:util';

/** What a command may touch: injected so tests run `main()` in-process with captured output. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean;
  /** Resolves when the user presses Ctrl-C; commands that run long race against it. */
  interrupted: Promise<void>;
  /**
   * Asks the person at the terminal and resolves with the line typed; absent when nobody can answer
   * (CI, pipes), and then commands take their safe default.
   */
  ask?: (question: string) => Promise<string>;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** Words that select the command, e.g. ['jobs', 'deploy'] or ['up']. */
  path: string[];
  summary: string;
  usage?: string;
  options: OptionSpec;
  /** Whether positional arguments are accepted. */
  positionals?: boolean;
  /**
   * Output is redacted (tokens, passwords, registered secrets) unless the command's purpose is to
   * show a secret once (`up` prints the admin token it just minted).
   */
  revealsSecrets?: boolean;
  run(args: { values: ParsedValues; positionals: string[]; io: CliIO; json: boolean }): Promise<number>;
}

/** Options every command understands. */
export const globalOptions: OptionSpec = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

export function stringOpt(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOpt(values: ParsedValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export function boolOpt(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}
