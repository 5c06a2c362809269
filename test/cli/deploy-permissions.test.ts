/**
 * A databricks.yml with `permissions:` on a job deploys them through the Permissions API of the
 * local workspace (PUT /api/2.0/permissions/jobs/{id}), and a change to them is deployed too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { call, createUserWithToken } from '../uc/helpers.js';
import { cliRunner, deployJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let scratch: string;
let runnerToken: string;

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-perms-'));
  runnerToken = await createUserWithToken(ws, 'runner@example.com');
});
afterAll(async () => {
  await ws?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const yml = (permissions: string) =>
  `bundle:\n  name: perms\nworkspace:\n  root_path: /Shared/perms\nresources:\n  jobs:\n    p:\n      name: perms job\n      permissions:\n${permissions}      tasks:\n        - task_key: t\n          notebook_task: { notebook_path: /Shared/nb }\n`;

type Entry = { user_name?: string; group_name?: string; all_permissions: Array<{ permission_level: string }> };

async function grantsOf(jobId: number): Promise<string[]> {
  const r = await call(ws, `/api/2.0/permissions/jobs/${jobId}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body['access_control_list'] as Entry[]).map((e) => `${e.user_name ?? e.group_name ?? '?'}:${e.all_permissions[0]?.permission_level ?? '?'}`);
}

describe('deploying a job with permissions', () => {
  it('applies them, lets the granted principals act, and deploys a change to them', async () => {
    const dir = join(scratch, 'p');
    mkdirSync(dir, { recursive: true });
    const cli = cliRunner(ws, { dir, home: join(dir, '.home') });
    writeFileSync(join(dir, 'databricks.yml'), yml('        - { level: CAN_VIEW, group_name: users }\n        - { level: CAN_MANAGE_RUN, user_name: runner@example.com }\n'));
    const first = await cli(['deploy', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const jobId = Number(deployJson(first.stdout).jobs[0]?.jobId);
    expect(await grantsOf(jobId)).toEqual(['users:CAN_VIEW', 'runner@example.com:CAN_MANAGE_RUN', 'test@example.com:IS_OWNER', 'admins:CAN_MANAGE']);
    expect((await call(ws, '/api/2.2/jobs/run-now', { method: 'POST', json: { job_id: jobId }, token: runnerToken })).status).toBe(200);

    // the runner's grant removed: the next deploy replaces the job's permissions
    writeFileSync(join(dir, 'databricks.yml'), yml('        - { level: CAN_VIEW, group_name: users }\n'));
    const second = await cli(['deploy', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(await grantsOf(jobId)).toEqual(['users:CAN_VIEW', 'test@example.com:IS_OWNER', 'admins:CAN_MANAGE']);
    const refused = await call(ws, '/api/2.2/jobs/run-now', { method: 'POST', json: { job_id: jobId }, token: runnerToken });
    expect(refused).toEqual({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: `User runner@example.com does not have Manage Run or Owner or Admin permissions on job ${jobId}` } });

    const settled = deployJson((await cli(['deploy', '--json'])).stdout);
    expect(settled.changed).toBe(false);
  });
});
