import { mkdtempSync, rmSync } from 'node:fs';
import { loadTemplate } from '../helpers/workspace.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { startWorkspace, type RunningWorkspace } from '../../src/workspace/server.js';
import { clustersService } from '../../src/workspace/services/clusters/index.js';
import { jobsService } from '../../src/workspace/services/jobs/index.js';
import { createRunsService } from '../../src/workspace/services/runs/index.js';
import { startMailer, stopMailer } from '../../src/workspace/services/runs/mailer.js';
import { parseSmtpUrl } from '../../src/workspace/services/runs/smtp-settings.js';
import { secretsService } from '../../src/workspace/services/secrets/index.js';
import { workspaceService } from '../../src/workspace/services/workspace/index.js';
import { createJob, importSource, notebook, ok, runNow, stateOf, waitForRun, type ApiTarget, type Json } from './helpers.js';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.js';

// email_notifications with `up --smtp-url`: every mail is still an outbox row, and is also sent
// through SMTP (here a tiny server on 127.0.0.1), its delivery status recorded; failures are retried
// a bounded number of times without holding up the run.

const PASSWORD = 'pa$$w0rd-never-in-logs';
const SECRET = 'super-secret-db-password-1234';
let smtp: TestSmtpServer;
let ws: RunningWorkspace;
let api: ApiTarget;
let token: string;
const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-mail-'));
const logLines: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  const template = loadTemplate();
  ws = await startWorkspace({
    stateDir,
    port: 0,
    inMemoryDatabase: true,
    ...(template ? { databaseTemplate: template } : {}),
    adminUserName: 'test@example.com',
    logger: createLogger({ level: 'debug', write: (l) => logLines.push(l) }),
    smtp: parseSmtpUrl(`smtp://mailer:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}`, 'Brickyard <jobs@brickyard.test>'),
    services: [workspaceService, clustersService, jobsService, createRunsService({ killGraceMs: 1000, mail: { maxAttempts: 3, retryDelaySeconds: 0 } }), secretsService],
  });
  token = ws.initialAdminToken ?? (await ws.mintTokenFor('test@example.com'));
  api = {
    api: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      let body = init.body;
      if ((init as { json?: unknown }).json !== undefined) {
        body = JSON.stringify((init as { json?: unknown }).json);
        headers.set('content-type', 'application/json');
      }
      return fetch(ws.url + path, { ...init, headers, body: body ?? null });
    },
  };
});
afterAll(async () => {
  await ws?.close();
  await smtp?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

async function outboxOf(runId: number, until: (messages: Json[]) => boolean): Promise<Json[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const messages = (await ok(api, 'GET', '/api/2.0/brickyard/outbox', { run_id: runId }))['messages'] as Json[];
    if (until(messages)) return messages;
    if (Date.now() > deadline) throw new Error(`outbox of run ${runId} did not settle: ${JSON.stringify(messages)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const settled = (n: number) => (messages: Json[]) => messages.length === n && messages.every((m) => ['sent', 'failed'].includes(String((m['delivery'] as Json)['status'])));

describe('SMTP delivery of email_notifications', () => {
  it('sends on_start and on_success by SMTP, logged in, and records them as sent in the outbox', async () => {
    const jobId = await createJob(api, {
      name: 'mailed job',
      email_notifications: { on_start: ['start@example.com'], on_success: ['ok@example.com', 'boss@example.com'] },
      tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }],
    });
    const before = smtp.messages.length;
    const runId = await runNow(api, { job_id: jobId });
    expect(stateOf(await waitForRun(api, runId)).result).toBe('SUCCESS');
    const messages = await outboxOf(runId, settled(2));
    for (const m of messages) expect(m['delivery']).toMatchObject({ status: 'sent', attempts: 1, sent_time: expect.any(Number) });

    const received = smtp.messages.slice(before);
    expect(received).toHaveLength(2);
    const success = received.find((m) => m.to.includes('ok@example.com'))!;
    expect(success.to).toEqual(['ok@example.com', 'boss@example.com']);
    expect(success.from).toBe('jobs@brickyard.test');
    expect(success.user).toBe('mailer');
    expect(success.password).toBe(PASSWORD);
    expect(success.data).toContain(`Subject: [brickyard] Run of mailed job succeeded (run ${runId})`);
    expect(success.data).toContain(`${ws.url}/#job/${jobId}/run/${runId}`);
    const start = received.find((m) => m.to.includes('start@example.com'))!;
    expect(start.data).toContain(`Subject: [brickyard] Run of mailed job started (run ${runId})`);
  });

  it('keeps secrets and tokens out of a failure mail, and the SMTP password out of every log line', async () => {
    await ok(api, 'POST', '/api/2.0/secrets/scopes/create', { scope: 'mail' });
    await ok(api, 'POST', '/api/2.0/secrets/put', { scope: 'mail', key: 'pw', string_value: SECRET });
    await importSource(api, '/Shared/mail/leaky', notebook('import os\nraise RuntimeError("cannot connect with " + dbutils.secrets.get("mail", "pw") + " and " + os.environ["DATABRICKS_TOKEN"])'));
    const jobId = await createJob(api, {
      name: 'leaky job',
      email_notifications: { on_failure: ['oncall@example.com'] },
      tasks: [{ task_key: 'leaky', notebook_task: { notebook_path: '/Shared/mail/leaky' } }],
    });
    const before = smtp.messages.length;
    const runId = await runNow(api, { job_id: jobId });
    expect(stateOf(await waitForRun(api, runId, { timeoutMs: 60_000 })).result).toBe('FAILED');
    await outboxOf(runId, settled(1));
    const [mail] = smtp.messages.slice(before);
    expect(mail!.to).toEqual(['oncall@example.com']);
    expect(mail!.data).toContain(`Subject: [brickyard] Run of leaky job failed (run ${runId})`);
    expect(mail!.data).toContain('cannot connect with [REDACTED] and [REDACTED]');
    expect(mail!.data).not.toContain(SECRET);
    expect(mail!.data).not.toMatch(/dapi[0-9a-f]{16}/);
    expect(mail!.data).not.toContain(token);
    expect(mail!.data).not.toContain(PASSWORD);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(encodeURIComponent(PASSWORD));
    }
  });

  it('retries a refused send and records the attempts; gives up after max attempts with the error, never holding the run', async () => {
    const jobId = await createJob(api, {
      name: 'flaky mail',
      email_notifications: { on_success: ['ok@example.com'] },
      tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }],
    });
    smtp.failFirst = 2;
    const retried = await runNow(api, { job_id: jobId });
    const [mail] = await outboxOf(retried, settled(1));
    expect(mail!['delivery']).toMatchObject({ status: 'sent', attempts: 3 });
    expect((mail!['delivery'] as Json)['error']).toBeUndefined();

    smtp.failFirst = 100;
    const failing = await runNow(api, { job_id: jobId });
    // the run finishes while its mail is still being retried
    expect(stateOf(await waitForRun(api, failing)).result).toBe('SUCCESS');
    const [lost] = await outboxOf(failing, settled(1));
    smtp.failFirst = 0;
    expect(lost!['delivery']).toMatchObject({ status: 'failed', attempts: 3 });
    expect(String((lost!['delivery'] as Json)['error'])).toContain('451 4.3.0 Try again later');
    expect(lost!['subject']).toBe(`[brickyard] Run of flaky mail succeeded (run ${failing})`);
    for (const line of logLines) expect(line).not.toContain(PASSWORD);
  });

  it('sends at the next start a mail whose delivery was never queued (the process died first)', async () => {
    const jobId = await createJob(api, {
      name: 'mail after restart',
      email_notifications: { on_success: ['later@example.com'] },
      tasks: [{ task_key: 'c', condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } }],
    });
    stopMailer(ws.ctx);
    const runId = await runNow(api, { job_id: jobId });
    expect(stateOf(await waitForRun(api, runId)).result).toBe('SUCCESS');
    const [waiting] = await outboxOf(runId, (m) => m.length === 1);
    expect(waiting!['delivery']).toEqual({ status: 'pending', attempts: 0 });
    const before = smtp.messages.length;
    await startMailer(ws.ctx, { maxAttempts: 3, retryDelaySeconds: 0 });
    const [sent] = await outboxOf(runId, settled(1));
    expect(sent!['delivery']).toMatchObject({ status: 'sent', attempts: 1 });
    expect(smtp.messages.slice(before).map((m) => m.to)).toEqual([['later@example.com']]);
  });
});
