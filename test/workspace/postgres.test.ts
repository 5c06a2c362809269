import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpOutput } from '../../src/api/cli-up-output.js';
import { silentLogger } from '../../src/core/logger.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { startWorkspace, type RunningWorkspace } from '../../src/workspace/server.js';
import { allServices } from '../../src/workspace/services/index.js';

// .ci/run starts a throwaway Postgres and sets this; without it the test says why it is skipped.
const baseUrl = process.env.BRICKYARD_TEST_DATABASE_URL;
const describePg = baseUrl ? describe : describe.skip;
if (!baseUrl) console.warn('Postgres tests skipped: set BRICKYARD_TEST_DATABASE_URL (see .ci/start-postgres.sh)');

const dbName = `brickyard_${process.pid}_${Date.now()}`;
const dirs: string[] = [];
let url: string;

beforeAll(async () => {
  if (!baseUrl) return;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  url = u.toString();
});
afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (!baseUrl) return;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

function start(): Promise<RunningWorkspace> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-pg-'));
  dirs.push(stateDir);
  return startWorkspace({ stateDir, port: 0, databaseUrl: url, logger: silentLogger, adminUserName: 'test@example.com', services: allServices() });
}

describePg('DATABASE_URL: a real Postgres shared by several processes', () => {
  it('two workspaces migrate concurrently and see each other’s writes', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    try {
      expect(a.ctx.database.kind).toBe('postgres');
      // only one of them created the admin, so only one printed a token
      expect([a.initialAdminToken, b.initialAdminToken].filter(Boolean)).toHaveLength(1);
      const token = await a.mintTokenFor('test@example.com');
      const viaB = await fetch(`${b.url}/api/2.0/preview/scim/v2/Me`, { headers: { authorization: `Bearer ${token}` } });
      expect(viaB.status).toBe(200);
      expect(((await viaB.json()) as { userName: string }).userName).toBe('test@example.com');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('brickyard up uses DATABASE_URL instead of embedded PGlite', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-pg-up-'));
    dirs.push(stateDir);
    const up = runCli(['up', '--port', '0', '--state-dir', stateDir, '--json', '--admin-user', 'test@example.com'], { cwd: stateDir, env: { DATABASE_URL: url, HOME: stateDir } });
    const info = UpOutput.parse(JSON.parse(await waitFor(() => up.stdout().split('\n')[0] || undefined, 60_000)));
    expect(info.database).toBe('postgres');
    // the admin exists already (the other test seeded this database): a token minted in the same database works here
    const peer = await start();
    try {
      const token = await peer.mintTokenFor('test@example.com');
      const me = await fetch(`${info.host}/api/2.0/preview/scim/v2/Me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    } finally {
      await peer.close();
    }
    up.interrupt();
    expect(await up.code).toBe(0);
  });
});
