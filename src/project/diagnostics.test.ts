import { describe, expect, it } from 'vitest';
import { closest, formatDiagnostic, formatPath, joinPath, sortDiagnostics, type Diagnostic } from './diagnostics.js';

const d = (over: Partial<Diagnostic>): Diagnostic => ({
  severity: 'error',
  code: 'BY_CRON',
  message: 'bad cron',
  file: 'config/job.json',
  line: 12,
  col: 7,
  path: 'schedule.quartz_cron_expression',
  hint: 'fix it',
  ...over,
});

describe('diagnostics', () => {
  it('formats file:line:col, severity, code, path, message and hint', () => {
    expect(formatDiagnostic(d({}))).toBe('config/job.json:12:7: error BY_CRON schedule.quartz_cron_expression — bad cron (hint: fix it)');
    expect(formatDiagnostic(d({ path: '', hint: '', severity: 'warning' }))).toBe('config/job.json:12:7: warning BY_CRON — bad cron');
  });

  it('formats field paths', () => {
    expect(formatPath(['resources', 'jobs', 'train', 'tasks', 1, 'depends_on', 0, 'task_key'])).toBe('resources.jobs.train.tasks[1].depends_on[0].task_key');
    expect(formatPath(['tags', 'a.b'])).toBe('tags["a.b"]');
    expect(joinPath('resources.jobs.x', '[0]')).toBe('resources.jobs.x[0]');
    expect(joinPath('', 'tasks')).toBe('tasks');
  });

  it('suggests close names only', () => {
    expect(closest('mian', ['main', 'other'])).toBe('main');
    expect(closest('timout_seconds', ['timeout_seconds', 'tasks'])).toBe('timeout_seconds');
    expect(closest('xyz', ['timeout_seconds'])).toBeUndefined();
  });

  it('sorts by file and position and drops exact duplicates', () => {
    const list = sortDiagnostics([d({ line: 3 }), d({ file: 'a.yml' }), d({ line: 3 }), d({ line: 3, severity: 'warning', code: 'BY_SCHEMA' })]);
    expect(list.map((x) => `${x.file}:${x.line} ${x.severity}`)).toEqual(['a.yml:12 error', 'config/job.json:3 error', 'config/job.json:3 warning']);
  });
});
