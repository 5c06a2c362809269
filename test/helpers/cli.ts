import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';

export interface CliRun {
  code: Promise<number>;
  stdout: () => string;
  stderr: () => string;
  /** simulates Ctrl-C */
  interrupt: () => void;
}

/** Runs `brickyard <argv>` in-process with captured output. */
export function runCli(argv: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; isTTY?: boolean; stderrIsTTY?: boolean }): CliRun {
  let out = '';
  let err = '';
  let interrupt!: () => void;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env: opts.env ?? {},
    cwd: opts.cwd,
    isTTY: opts.isTTY ?? false,
    ...(opts.stderrIsTTY !== undefined ? { stderrIsTTY: opts.stderrIsTTY } : {}),
    interrupted,
  };
  return { code: main(argv, io), stdout: () => out, stderr: () => err, interrupt };
}

/** The first truthy value of `fn`, checked every 20 ms (vi.waitUntil) for at most `timeoutMs`. */
export function waitFor<T>(fn: () => T | undefined | false | null, timeoutMs = 30_000): Promise<T> {
  return vi.waitUntil(fn, { timeout: timeoutMs, interval: 20 }) as Promise<T>;
}
