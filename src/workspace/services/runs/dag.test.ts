import { describe, expect, it } from 'vitest';
import { classifyDependency, decideTask, runOutcome, selectOnly, validateTaskGraph, withDownstream, type DependencyOutcome } from './dag.js';
import type { RunIf, Task } from '../../../api/job-settings.js';

const t = (task_key: string, deps: string[] = [], extra: Partial<Task> = {}): Task => ({
  task_key,
  ...(deps.length ? { depends_on: deps.map((k) => ({ task_key: k })) } : {}),
  ...extra,
});

describe('decideTask', () => {
  const cases: Array<[RunIf, DependencyOutcome[], string]> = [
    ['ALL_SUCCESS', ['success', 'success'], 'run'],
    ['ALL_SUCCESS', ['success', 'failed'], 'UPSTREAM_FAILED'],
    ['ALL_SUCCESS', ['success', 'excluded'], 'EXCLUDED'],
    ['ALL_SUCCESS', ['disabled'], 'DISABLED'],
    ['AT_LEAST_ONE_SUCCESS', ['failed', 'success'], 'run'],
    ['AT_LEAST_ONE_SUCCESS', ['failed', 'failed'], 'UPSTREAM_FAILED'],
    ['AT_LEAST_ONE_SUCCESS', ['disabled', 'excluded'], 'DISABLED'],
    ['NONE_FAILED', ['success', 'excluded'], 'run'],
    ['NONE_FAILED', ['disabled', 'excluded'], 'run'],
    ['NONE_FAILED', ['success', 'failed'], 'UPSTREAM_FAILED'],
    ['NONE_FAILED', ['disabled', 'disabled'], 'DISABLED'],
    ['NONE_FAILED', ['excluded'], 'EXCLUDED'],
    ['ALL_DONE', ['failed', 'excluded', 'disabled'], 'run'],
    ['AT_LEAST_ONE_FAILED', ['success', 'failed'], 'run'],
    ['AT_LEAST_ONE_FAILED', ['success', 'success'], 'EXCLUDED'],
    ['AT_LEAST_ONE_FAILED', ['success', 'disabled'], 'DISABLED'],
    ['ALL_FAILED', ['failed', 'failed'], 'run'],
    ['ALL_FAILED', ['failed', 'success'], 'EXCLUDED'],
    ['ALL_FAILED', ['disabled'], 'DISABLED'],
  ];
  for (const [runIf, deps, expected] of cases) {
    it(`${runIf} with ${deps.join(',')} → ${expected}`, () => {
      const d = decideTask(runIf, deps);
      expect(d.run ? 'run' : d.resultState).toBe(expected);
    });
  }
  it('a task without dependencies runs', () => {
    expect(decideTask('ALL_FAILED', [])).toEqual({ run: true });
  });
});

describe('classifyDependency', () => {
  it('matches condition outcomes and maps results', () => {
    expect(classifyDependency('true', { resultState: 'SUCCESS', outcome: 'true' })).toBe('success');
    expect(classifyDependency('false', { resultState: 'SUCCESS', outcome: 'true' })).toBe('excluded');
    expect(classifyDependency(undefined, { resultState: 'TIMEDOUT', outcome: null })).toBe('failed');
    expect(classifyDependency(undefined, { resultState: 'UPSTREAM_FAILED', outcome: null })).toBe('failed');
    expect(classifyDependency(undefined, { resultState: 'EXCLUDED', outcome: null })).toBe('excluded');
    expect(classifyDependency(undefined, { resultState: 'DISABLED', outcome: null })).toBe('disabled');
  });
});

describe('validateTaskGraph', () => {
  it('accepts a DAG and rejects duplicates, unknown dependencies, misplaced outcomes and cycles', () => {
    expect(() => validateTaskGraph([t('a'), t('b', ['a'])])).not.toThrow();
    expect(() => validateTaskGraph([])).toThrow('at least one task');
    expect(() => validateTaskGraph([t('a'), t('a')])).toThrow('more than one task');
    expect(() => validateTaskGraph([t('a', ['x'])])).toThrow('depends on x');
    expect(() => validateTaskGraph([t('a'), { task_key: 'b', depends_on: [{ task_key: 'a', outcome: 'true' }] }])).toThrow('not a condition_task');
    expect(() => validateTaskGraph([t('a', ['c']), t('b', ['a']), t('c', ['b'])])).toThrow(/cycle: a -> c -> b -> a/);
  });
});

describe('selectOnly', () => {
  const tasks = [t('a'), t('b', ['a']), t('c', ['b']), t('d', ['a'])];
  it('keeps named tasks and drops dependencies outside the selection', () => {
    const picked = selectOnly(tasks, ['c']);
    expect(picked).toEqual([{ task_key: 'c' }]);
  });
  it('+key adds ancestors, key+ adds descendants', () => {
    expect(selectOnly(tasks, ['+c']).map((x) => x.task_key)).toEqual(['a', 'b', 'c']);
    expect(selectOnly(tasks, ['a+']).map((x) => x.task_key)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('rejects unknown keys', () => {
    expect(() => selectOnly(tasks, ['zz'])).toThrow('zz');
  });
  it('withDownstream follows dependencies', () => {
    expect([...withDownstream(tasks, ['b'])].sort()).toEqual(['b', 'c']);
  });
});

describe('runOutcome', () => {
  const f = (taskKey: string, resultState: string, dependsOn: string[] = [], stateMessage = '') => ({ taskKey, resultState, dependsOn, stateMessage });
  it('SUCCESS when everything succeeded or was excluded', () => {
    expect(runOutcome([f('a', 'SUCCESS'), f('b', 'EXCLUDED', ['a'])]).resultState).toBe('SUCCESS');
  });
  it('SUCCESS_WITH_FAILURES when leaves succeeded after a failure', () => {
    expect(runOutcome([f('a', 'FAILED'), f('b', 'SUCCESS', ['a'])]).resultState).toBe('SUCCESS_WITH_FAILURES');
  });
  it('FAILED naming the task that failed first', () => {
    const o = runOutcome([f('a', 'FAILED', [], 'ValueError: x'), f('b', 'UPSTREAM_FAILED', ['a'])]);
    expect(o).toEqual({ resultState: 'FAILED', failedTaskKey: 'a', message: 'Task a failed with message: ValueError: x. This caused all downstream tasks to get skipped.' });
  });
  it('TIMEDOUT when the only failures are timeouts', () => {
    expect(runOutcome([f('a', 'TIMEDOUT', [], 'Task timed out after 1 seconds.')]).resultState).toBe('TIMEDOUT');
  });
});
