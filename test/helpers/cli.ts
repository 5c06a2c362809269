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
export function runCli(argv: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; isTTY?: boolean }): CliRun {
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
    interrupted,
  };
  return { code: main(argv, io), stdout: () => out, stderr: () => err, interrupt };
}

export async function waitFor<T>(fn: () => T | undefined | false | null, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}
