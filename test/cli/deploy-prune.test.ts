/**
 * Pruning: a job the project owns but no longer declares is `delete` in plan and deleted by deploy,
 * unless --no-prune (kept, and said so) or lifecycle.prevent_destroy (kept even once its
 * configuration is gone). Plain --config files prune too, but never the jobs of the other files
 * beside them (the seed's CI deploys one file per step).
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { SummaryOutput } from '../../src/api/cli-project-output.js';
import { cliRunner, normalizeOutput, deployJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let scratch: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-prune-'));
});
afterAll(async () => {
  await ws?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const job = (key: string, extra = '') => `    ${key}:\n      name: prune ${key}\n${extra}      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: /Shared/nb }\n`;
const yml = (...jobs: string[]) => `bundle:\n  name: prune\nworkspace:\n  root_path: /Shared/prune\nresources:\n  jobs:\n${jobs.join('')}`;

async function jobNames(): Promise<string[]> {
  const list = (await (await ws.api('/api/2.2/jobs/list?limit=100')).json()) as { jobs?: Array<{ settings: { name: string } }> };
  return (list.jobs ?? []).map((j) => j.settings.name).sort();
}

describe('deploy prunes jobs the project no longer declares', () => {
  it('databricks.yml: delete in plan, kept with --no-prune, deleted by deploy; prevent_destroy keeps a job after its configuration is gone', async () => {
    const dir = join(scratch, 'bundle');
    mkdirSync(dir, { recursive: true });
    const cli = cliRunner(ws, { dir, home: dir });
    writeFileSync(join(dir, 'databricks.yml'), yml(job('a'), job('b'), job('c', '      lifecycle: { prevent_destroy: true }\n')));
    expect((await cli(['deploy'])).code).toBe(0);
    expect(await jobNames()).toEqual(['prune a', 'prune b', 'prune c']);

    writeFileSync(join(dir, 'databricks.yml'), yml(job('a')));
    const plan = await cli(['plan']);
    expect(plan.code).toBe(1);
    const out = normalizeOutput(plan.stdout, ws);
    expect(out).toContain('  - delete prune b [b] (job <id>) — no longer declared in the project (--no-prune keeps it)');
    expect(out).toContain('  = kept job prune c [c] (job <id>) — no longer declared; kept: it was deployed with lifecycle.prevent_destroy: true');
    expect(out).toContain('Plan: 0 to create, 0 to update, 1 to delete, 0 drifted, 1 unchanged');

    const kept = await cli(['deploy', '--no-prune']);
    expect(kept.code).toBe(0);
    expect(normalizeOutput(kept.stdout, ws)).toContain('  = kept job prune b [b] (job <id>) — no longer declared; kept because of --no-prune (deploy without it deletes it)');
    expect(await jobNames()).toEqual(['prune a', 'prune b', 'prune c']);
    const keptPlan = await cli(['plan', '--no-prune']);
    expect(keptPlan.code).toBe(0);
    expect(keptPlan.stdout).toContain('kept job prune b [b]');

    const pruned = await cli(['deploy', '--json']);
    expect(pruned.code).toBe(0);
    const result = deployJson(pruned.stdout);
    expect(result.jobs.map((j) => `${j.action} ${j.resourceKey}`)).toEqual(['skip a', 'delete b']);
    expect(result.kept).toMatchObject([{ resource: 'job', key: 'c', reason: 'prevent_destroy' }]);
    expect(await jobNames()).toEqual(['prune a', 'prune c']);
    expect((await cli(['plan'])).code).toBe(0);

    // summary (and its Databricks CLI spelling): what the project deploys, where, the job URLs
    const summary = await cli(['bundle', 'summary']);
    expect(summary.code).toBe(0);
    expect(normalizeOutput(summary.stdout, ws)).toBe(
      [
        'Name: prune',
        "Target: default (no targets defined; using the implicit target 'default')",
        'Workspace: <host>',
        '  Root path: /Shared/prune',
        '  Files: /Shared/prune/files',
        '  Owner tag: brickyard-project=prune/default',
        'Jobs (1):',
        '  a: prune a',
        '    URL: <host>/#job/<id>',
        '',
      ].join('\n'),
    );
    const asJson = SummaryOutput.parse(JSON.parse((await cli(['summary', '--json'])).stdout));
    expect(asJson.jobs.map((j) => j.key)).toEqual(['a']);
    expect(asJson.jobs[0]?.url).toMatch(/#job\/\d+$/);
  });

  it('plain --config: deploying one file keeps the jobs of the files beside it; a deleted file’s job is pruned', async () => {
    const dir = join(scratch, 'configs');
    mkdirSync(join(dir, 'config'), { recursive: true });
    const cli = cliRunner(ws, { dir, home: dir });
    const settings = (name: string) => JSON.stringify({ name, tasks: [{ task_key: 't', notebook_task: { notebook_path: '/Shared/nb' } }] });
    writeFileSync(join(dir, 'config/train.json'), settings('cfg train'));
    writeFileSync(join(dir, 'config/prep.json'), settings('cfg prep'));
    expect((await cli(['deploy', '--project', 'cfg', '--config', 'config/train.json'])).code).toBe(0);
    expect((await cli(['deploy', '--project', 'cfg', '--config', 'config/prep.json'])).code).toBe(0);
    const again = await cli(['plan', '--project', 'cfg', '--config', 'config/train.json']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('prep');
    expect((await jobNames()).filter((n) => n.startsWith('cfg'))).toEqual(['cfg prep', 'cfg train']);

    unlinkSync(join(dir, 'config/prep.json'));
    const plan = await cli(['plan', '--project', 'cfg', '--config', 'config/train.json']);
    expect(plan.code).toBe(1);
    expect(normalizeOutput(plan.stdout, ws)).toContain('  - delete cfg prep [prep] (job <id>) — no longer declared in the project');
    const d = await cli(['deploy', '--project', 'cfg', '--config', 'config/train.json']);
    expect(d.code).toBe(0);
    expect(normalizeOutput(d.stdout, ws)).toContain('  - cfg prep [prep] deleted (no longer declared) (job <id>)');
    expect((await jobNames()).filter((n) => n.startsWith('cfg'))).toEqual(['cfg train']);
  });
});
