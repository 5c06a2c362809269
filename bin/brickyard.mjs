#!/usr/bin/env node
// The only place that calls process.exit: everything else returns exit codes.
import { main } from '../dist/cli/main.js';

let interruptedResolve;
const interrupted = new Promise((resolve) => { interruptedResolve = resolve; });
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  interruptedResolve();
});
process.on('SIGTERM', () => interruptedResolve());

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  interrupted,
});
process.exit(code);
