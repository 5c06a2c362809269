import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The modules of the runs service, the scheduler, runner and queue import each other without a
// cycle, type-only imports included (as madge counts them): the state machine modules reach the
// engine only through engine-port.ts.

const roots = ['src/workspace/services/runs', 'src/workspace/scheduler', 'src/workspace/runner', 'src/workspace/queue'].map((d) => resolve(d));

function sources(): string[] {
  return roots.flatMap((root) => readdirSync(root).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(root, f)));
}

function cycles(): string[] {
  const files = sources();
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)) {
      const target = resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts'));
      if (files.includes(target)) deps.push(target);
    }
    graph.set(f, deps);
  }
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push(stack.slice(stack.indexOf(d)).concat(d).map((x) => x.slice(process.cwd().length + 1)).join(' → '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('runs service modules', () => {
  it('have no import cycle', () => {
    expect(sources().length).toBeGreaterThan(20);
    expect(cycles()).toEqual([]);
  });
});
