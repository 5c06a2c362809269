#!/usr/bin/env node
// The only place that calls process.exit: everything else returns exit codes.
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/cli/main.js';

let interruptedResolve;
const interrupted = new Promise((resolve) => { interruptedResolve = resolve; });
let interrupts = 0;
let asking = false;
process.on('SIGINT', () => {
  if (asking) return;
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  interruptedResolve();
});
process.on('SIGTERM', () => interruptedResolve());

/** A question at the terminal; Ctrl-C at the prompt answers with the safe default (empty = yes). */
function ask(question) {
  asking = true;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  return new Promise((resolve) => {
    let answered = false;
    const done = (answer) => {
      if (answered) return;
      answered = true;
      asking = false;
      rl.close();
      resolve(answer);
    };
    rl.on('SIGINT', () => { process.stderr.write('\n'); done(''); });
    rl.on('close', () => done(''));
    rl.question(question, done);
  });
}

const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  interrupted,
  ...(interactive ? { ask } : {}),
  // WebAssembly compiled once (Liftoff): exit no longer waits for the background tier-up of undici's parser
  beforeShortCommand: () => setFlagsFromString('--liftoff-only'),
});
process.exit(code);
