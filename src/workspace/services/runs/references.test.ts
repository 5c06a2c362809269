import { describe, expect, it } from 'vitest';
import { resolveReferences, type ReferenceContext } from './references.js';

const ctx: ReferenceContext = {
  job: { id: 11, runId: 22, name: 'nightly', startTime: Date.UTC(2026, 2, 7, 5, 4, 3), triggerType: 'PERIODIC', triggerTime: Date.UTC(2026, 2, 7, 5, 4, 3), repairCount: 1, parameters: { env: 'prod', 'my-param': 'x' } },
  task: { name: 'train', runId: 33, executionCount: 2, notebookPath: '/Shared/train' },
  tasks: { prep: { runId: 30, resultState: 'SUCCESS', values: { n: 120, label: 'ok', cfg: { a: 1 } }, executionCount: 1 }, 'odd-key': { runId: 31, resultState: 'SUCCESS', values: { v: true }, executionCount: 1 } },
  workspace: { id: '1234', url: 'http://127.0.0.1:8080' },
};

describe('resolveReferences', () => {
  it('resolves job, task, tasks and workspace references', () => {
    expect(resolveReferences('{{job.id}}/{{job.run_id}}/{{job.name}}/{{task.name}}/{{task.run_id}}', ctx)).toBe('11/22/nightly/train/33');
    expect(resolveReferences('{{ job.parameters.env }}', ctx)).toBe('prod');
    expect(resolveReferences('{{tasks.prep.values.n}} {{tasks.prep.values.label}} {{tasks.prep.values.cfg}}', ctx)).toBe('120 ok {"a":1}');
    expect(resolveReferences('{{tasks.prep.run_id}} {{tasks.prep.result_state}}', ctx)).toBe('30 SUCCESS');
    expect(resolveReferences('{{workspace.id}} {{workspace.url}}', ctx)).toBe('1234 http://127.0.0.1:8080');
    expect(resolveReferences('{{job.trigger.type}} {{job.repair_count}} {{task.execution_count}}', ctx)).toBe('PERIODIC 1 2');
  });
  it('formats start times in UTC', () => {
    expect(resolveReferences('{{job.start_time.iso_date}}', ctx)).toBe('2026-03-07');
    expect(resolveReferences('{{job.start_time.iso_datetime}}', ctx)).toBe('2026-03-07T05:04:03');
    expect(resolveReferences('{{job.start_time.year}}-{{job.start_time.month}}-{{job.start_time.day}} {{job.start_time.hour}}:{{job.start_time.minute}}:{{job.start_time.second}}', ctx)).toBe('2026-3-7 5:4:3');
    expect(resolveReferences('{{job.start_time.iso_weekday}} {{job.start_time.is_weekday}} {{job.start_time.timestamp_ms}}', ctx)).toBe(`6 false ${Date.UTC(2026, 2, 7, 5, 4, 3)}`);
  });
  it('quotes names with backticks', () => {
    expect(resolveReferences('{{tasks.`odd-key`.values.v}} {{job.parameters.`my-param`}}', ctx)).toBe('true x');
  });
  it('keeps the deprecated variables', () => {
    expect(resolveReferences('{{job_id}} {{run_id}} {{parent_run_id}} {{start_date}} {{task_retry_count}} {{task_key}}', ctx)).toBe('11 33 22 2026-03-07 1 train');
  });
  it('leaves malformed references and unknown namespaces as written', () => {
    expect(resolveReferences('{{ not closed', ctx)).toBe('{{ not closed');
    expect(resolveReferences('{{secrets/scope/key}} {{nothing.here}}', ctx)).toBe('{{secrets/scope/key}} {{nothing.here}}');
  });
  it('rejects unknown names inside known namespaces', () => {
    expect(() => resolveReferences('{{job.nope}}', ctx)).toThrow('Unknown dynamic value reference {{job.nope}}');
    expect(() => resolveReferences('{{job.parameters.missing}}', ctx)).toThrow('Job parameter missing');
    expect(() => resolveReferences('{{tasks.later.values.x}}', ctx)).toThrow('has not run');
    expect(() => resolveReferences('{{tasks.prep.values.missing}}', ctx)).toThrow('never set');
    expect(() => resolveReferences('{{job.start_time.century}}', ctx)).toThrow('Unknown');
  });
});
