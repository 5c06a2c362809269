/**
 * The repaired request layer's retry rules and cancellation, against a scripted node:http server:
 * what is sent again (reads; writes that never reached the server), after how long (Retry-After,
 * backoff, on an injected clock), and what Ctrl-C aborts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '@databricks/sdk-experimental';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { callRemote, connect } from './connect.js';
import { createWorkspaceClient } from './sdk.js';
import { monitorRun } from '../deploy/run-monitor.js';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
/** The connection drops after the server has read the whole request. */
const reset: Reply = (req) => req.socket.destroy();
/** The server holds the request and never answers. */
const hang: Reply = () => undefined;

const JOB = { job_id: 7, settings: { name: 'nightly' } };
const BUSY = { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' };
const LIMITED = { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' };

interface Scripted {
  url: string;
  port: number;
  /** Every request that arrived, in order. */
  seen: Array<{ method: string; url: string; body: string }>;
  /** Requests whose connection closed before an answer was sent. */
  abandoned: number;
  server: Server;
}

const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server answering the n-th request with replies[n]; an unscripted request is a test failure (500). */
async function scripted(replies: Reply[], port = 0): Promise<Scripted> {
  const state: Scripted = { url: '', port: 0, seen: [], abandoned: 0, server: undefined as unknown as Server };
  state.server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      state.seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.on('close', () => {
        if (!res.writableFinished) state.abandoned += 1;
      });
      (replies[state.seen.length - 1] ?? json(500, { error_code: 'UNSCRIPTED', message: `no reply for request ${state.seen.length}` }))(req, res);
    });
  });
  servers.push(state.server);
  await new Promise<void>((resolve) => state.server.listen(port, '127.0.0.1', resolve));
  state.port = (state.server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  return state;
}

/** A port nothing listens on (connections to it are refused). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

function client(host: string, clock: ManualClock, retryTimeoutSeconds = 300) {
  return createWorkspaceClient({ host, token: 'dapi-retry-test', authType: 'pat', retryTimeoutSeconds, env: { HOME: '/nonexistent' } }, { clock });
}

/** Once the request waits to retry (one timer on the clock), lets `ms` pass. */
async function passRetryWait(clock: ManualClock, ms: number): Promise<void> {
  await vi.waitFor(() => expect(clock.pendingTimers()).toBe(1), { timeout: 10_000, interval: 5 });
  await clock.advance(ms);
}

// a request wrongly left waiting on the manual clock would hang: fail fast instead
describe('retries', { timeout: 10_000 }, () => {
  it('waits exactly Retry-After after a 429, then succeeds', async () => {
    const s = await scripted([json(429, LIMITED, { 'retry-after': '3' }), json(200, JOB)]);
    const clock = new ManualClock();
    const got = client(s.url, clock).jobs.get({ job_id: 7 });
    await passRetryWait(clock, 2_999);
    expect(s.seen).toHaveLength(1);
    await clock.advance(1);
    await expect(got).resolves.toMatchObject(JOB);
    expect(s.seen.map((r) => r.url)).toEqual(['/api/2.2/jobs/get?job_id=7', '/api/2.2/jobs/get?job_id=7']);
  });

  it('sends a write again after a 429: the server turned it away before handling it', async () => {
    const s = await scripted([json(429, LIMITED, { 'retry-after': '1' }), json(200, { job_id: 8 })]);
    const clock = new ManualClock();
    const created = client(s.url, clock).jobs.create({ name: 'again' });
    await passRetryWait(clock, 1_000);
    await expect(created).resolves.toEqual({ job_id: 8 });
    expect(s.seen.map((r) => [r.method, JSON.parse(r.body) as unknown])).toEqual([
      ['POST', { name: 'again' }],
      ['POST', { name: 'again' }],
    ]);
  });

  it('retries a GET answered 503 with growing backoff when there is no Retry-After', async () => {
    const s = await scripted([json(503, BUSY), json(503, BUSY), json(200, JOB)]);
    const clock = new ManualClock();
    const got = client(s.url, clock).jobs.get({ job_id: 7 });
    await passRetryWait(clock, 199);
    expect(s.seen).toHaveLength(1);
    await clock.advance(1);
    await passRetryWait(clock, 399);
    expect(s.seen).toHaveLength(2);
    await clock.advance(1);
    await expect(got).resolves.toMatchObject(JOB);
    expect(s.seen).toHaveLength(3);
  });

  it('does not send a POST again after a 503: it reached the server, which may have acted on it', async () => {
    const s = await scripted([json(503, BUSY), json(200, { job_id: 9 })]);
    const clock = new ManualClock();
    const err = await client(s.url, clock)
      .jobs.create({ name: 'once' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ statusCode: 503, errorCode: 'TEMPORARILY_UNAVAILABLE' });
    expect(s.seen).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('does not send a POST again when its connection dropped after it was sent; a GET it does', async () => {
    const s = await scripted([reset, reset, json(200, JOB)]);
    const clock = new ManualClock();
    const w = client(s.url, clock);
    await expect(w.jobs.create({ name: 'maybe-created' })).rejects.toThrow(
      new RegExp(`^POST ${s.url}/api/2\\.2/jobs/create: connection failed \\(UND_ERR_SOCKET\\); not retried: the request may have reached the server$`),
    );
    expect(s.seen).toHaveLength(1);

    const got = w.jobs.get({ job_id: 7 });
    await passRetryWait(clock, 200);
    await expect(got).resolves.toMatchObject(JOB);
    expect(s.seen.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
  });

  it('sends a POST again while the connection is refused (it never reached the server), then gives up with a clear error', async () => {
    const port = await closedPort();
    const clock = new ManualClock();
    const fetches = vi.spyOn(globalThis, 'fetch');
    const created = client(`http://127.0.0.1:${port}`, clock)
      .jobs.create({ name: 'nobody-home' })
      .catch((e: unknown) => e);
    for (const wait of [200, 400, 800, 1_600, 3_200]) await passRetryWait(clock, wait);
    const err = await created;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`POST http://127.0.0.1:${port}/api/2.2/jobs/create: connection failed (ECONNREFUSED); gave up after 6 attempts`);
    expect(fetches).toHaveBeenCalledTimes(6);
    // what the CLI prints for it
    await expect(callRemote(() => Promise.reject(err), 'creating job nobody-home')).rejects.toMatchObject({
      code: 'BY_REMOTE',
      message: `creating job nobody-home: POST http://127.0.0.1:${port}/api/2.2/jobs/create: connection failed (ECONNREFUSED); gave up after 6 attempts`,
    });
  });

  it('delivers a POST exactly once when the server comes up between refused attempts', async () => {
    const port = await closedPort();
    const clock = new ManualClock();
    const created = client(`http://127.0.0.1:${port}`, clock).jobs.create({ name: 'late-server' });
    await passRetryWait(clock, 200);
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(1), { timeout: 10_000, interval: 5 });
    const s = await scripted([json(200, { job_id: 11 })], port);
    await clock.advance(400);
    await expect(created).resolves.toEqual({ job_id: 11 });
    expect(s.seen).toEqual([{ method: 'POST', url: '/api/2.2/jobs/create', body: '{"name":"late-server"}' }]);
  });

  it('raises the 429 at once when its Retry-After would end past the retry deadline', async () => {
    const s = await scripted([json(429, LIMITED, { 'retry-after': '60' }), json(200, JOB)]);
    const clock = new ManualClock();
    await expect(client(s.url, clock, 30).jobs.get({ job_id: 7 })).rejects.toMatchObject({ statusCode: 429, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(s.seen).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('raises the 429 of a streamed body instead of sending the consumed stream again', async () => {
    const s = await scripted([json(429, LIMITED, { 'retry-after': '1' }), json(200, {})]);
    const clock = new ManualClock();
    const contents = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('streamed bytes'));
        c.close();
      },
    });
    const w = client(s.url, clock);
    const sent = w.apiClient.request({ path: '/api/2.0/fs/files/Volumes/main/default/v/f.txt', method: 'PUT', headers: new Headers(), raw: false, payload: contents });
    await expect(sent).rejects.toMatchObject({ statusCode: 429 });
    expect(s.seen).toEqual([{ method: 'PUT', url: '/api/2.0/fs/files/Volumes/main/default/v/f.txt', body: 'streamed bytes' }]);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('cancellation', { timeout: 10_000 }, () => {
  function ctrlC(): { interrupted: Promise<void>; press: () => void } {
    let press!: () => void;
    const interrupted = new Promise<void>((resolve) => (press = resolve));
    return { interrupted, press };
  }

  it('Ctrl-C aborts the request in flight (exit 130); a request made afterwards goes through', async () => {
    const s = await scripted([hang, json(200, JOB)]);
    const key = ctrlC();
    const remote = await connect({ env: { DATABRICKS_HOST: s.url, DATABRICKS_TOKEN: 'dapi-retry-test', HOME: '/nonexistent' }, interrupted: key.interrupted });
    const pending = callRemote(() => remote.w.jobs.get({ job_id: 7 }));
    await vi.waitFor(() => expect(s.seen).toHaveLength(1), { timeout: 10_000, interval: 5 });
    key.press();
    await expect(pending).rejects.toMatchObject({ code: 'BY_INTERRUPTED', exitCode: 130, message: 'GET /api/2.2/jobs/get aborted: interrupted (Ctrl-C)' });
    // the connection was closed, not left to the server
    await vi.waitFor(() => expect(s.abandoned).toBe(1), { timeout: 10_000, interval: 5 });
    // cleanup after Ctrl-C (cancel the run, release the lock) still reaches the server
    await expect(remote.w.jobs.get({ job_id: 7 })).resolves.toMatchObject(JOB);
  });

  it('Ctrl-C during a run status read ends the monitor as interrupted (the CLI then asks whether to cancel)', async () => {
    const s = await scripted([hang]);
    const key = ctrlC();
    const remote = await connect({ env: { DATABRICKS_HOST: s.url, DATABRICKS_TOKEN: 'dapi-retry-test', HOME: '/nonexistent' }, interrupted: key.interrupted });
    const outcome = monitorRun(remote, 5, { clock: new ManualClock(), interrupted: key.interrupted, out: () => undefined });
    await vi.waitFor(() => expect(s.seen).toHaveLength(1), { timeout: 10_000, interval: 5 });
    key.press();
    await expect(outcome).resolves.toMatchObject({ runId: 5, ended: 'interrupted' });
  });

  it('Ctrl-C stops a request waiting to retry', async () => {
    const s = await scripted([json(503, BUSY), json(200, JOB)]);
    const clock = new ManualClock();
    const key = ctrlC();
    const remote = await connect({ env: { DATABRICKS_HOST: s.url, DATABRICKS_TOKEN: 'dapi-retry-test', HOME: '/nonexistent' }, interrupted: key.interrupted, clock });
    const pending = remote.w.jobs.get({ job_id: 7 }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(clock.pendingTimers()).toBe(1), { timeout: 10_000, interval: 5 });
    key.press();
    expect(await pending).toMatchObject({ code: 'BY_INTERRUPTED', exitCode: 130 });
    expect(clock.pendingTimers()).toBe(0);
    expect(s.seen).toHaveLength(1);
  });

  it("honours the SDK's per-call cancellation token", async () => {
    const s = await scripted([hang]);
    let cancel!: () => void;
    const token = { isCancellationRequested: false, onCancellationRequested: (f: () => void) => (cancel = f) };
    const w = client(s.url, new ManualClock());
    const pending = w.apiClient.request({ path: '/api/2.2/jobs/get', method: 'GET', headers: new Headers(), raw: false, query: { job_id: 7 } }, { cancellationToken: token } as never);
    await vi.waitFor(() => expect(s.seen).toHaveLength(1), { timeout: 10_000, interval: 5 });
    cancel();
    await expect(pending).rejects.toMatchObject({ code: 'BY_INTERRUPTED', message: 'GET /api/2.2/jobs/get aborted: cancelled by the caller' });
  });
});
