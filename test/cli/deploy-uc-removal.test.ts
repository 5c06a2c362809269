/**
 * Removal of Unity Catalog objects end to end against a local workspace: a volume (whose ownership
 * rides in its comment) removed from the project is retired with its files kept, kept by
 * --no-prune, dropped only by --purge-data; a schema in a catalog the project no longer names
 * (`main`) is still found, through the places record, without listing every catalog's schemas.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServices } from '../../src/workspace/services/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { cliRunner, planJson, ucCli, type UcPlanOutput as PlanJson } from './deploy-helpers.js';

let ws: TestWorkspace;
let dir: string;
let cli: ReturnType<typeof cliRunner>;

let uc: ReturnType<typeof ucCli>;
const getJson = <T>(path: string): Promise<T> => uc.getJson<T>(path);
const plan = (extra: string[] = []) => uc.plan(extra);
const deploy = (extra: string[] = []) => uc.deploy(extra);

const HEAD = `bundle: { name: removal }
workspace: { root_path: /Workspace/Shared/removal }
resources:
  catalogs:
    lab: { name: lab }
  schemas:
    s1: { catalog_name: lab, name: s1 }
`;
const LANDING = `    landing: { catalog_name: main, name: landing, comment: landing zone }
`;
const VOLUME = `  volumes:
    raw:
      catalog_name: main
      schema_name: landing
      name: raw
      comment: raw files
      grants:
        - principal: account users
          privileges: [READ_VOLUME]
`;

function writeProject(parts: { landing: boolean; volume: boolean }): void {
  writeFileSync(join(dir, 'databricks.yml'), HEAD + (parts.landing ? LANDING : '') + (parts.volume ? VOLUME : ''));
}

beforeAll(async () => {
  ws = await startTestWorkspace({ services: allServices() });
  dir = mkdtempSync(join(tmpdir(), 'brickyard-uc-removal-'));
  mkdirSync(join(dir, '.home'));
  cli = cliRunner(ws, { dir, home: join(dir, '.home') });
  uc = ucCli(ws, cli);
});
afterAll(async () => {
  await ws?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const summary = (p: PlanJson) => p.uc.actions.filter((a) => a.op !== 'reference').map((a) => `${a.op} ${a.type} ${a.name}`);
const FILE = '/api/2.0/fs/files/Volumes/main/landing/raw/a.csv';

describe('a volume removed from the project', () => {
  it('deploys the volume with the ownership tag in its comment and records the places', async () => {
    writeProject({ landing: true, volume: true });
    await deploy();
    const volume = await getJson<{ comment: string }>('/api/2.1/unity-catalog/volumes/main.landing.raw');
    expect(volume.comment).toBe('raw files [brickyard:project=removal%2Fdefault&resource=volumes.raw]');
    const places = await getJson<{ content: string }>('/api/2.0/workspace/export?path=/Workspace/Shared/removal/.brickyard/uc-places.json&format=AUTO');
    expect(JSON.parse(Buffer.from(places.content, 'base64').toString('utf8'))).toEqual({ catalogs: ['lab', 'main'], schemas: ['main.landing'] });
    expect((await ws.api(FILE, { method: 'PUT', body: 'id\n1\n' })).status).toBe(200);
    const again = await deploy();
    expect(again.changed).toBe(false);
    expect(again.calls.writes).toBe(0);
  });

  it('a lost places record (or one from before it existed) is written again by the next deploy, and only then', async () => {
    const file = '/Workspace/Shared/removal/.brickyard/uc-places.json';
    expect((await ws.api('/api/2.0/workspace/delete', { method: 'POST', json: { path: file } })).status).toBe(200);
    const rewritten = await deploy();
    expect(rewritten.uc).toEqual({ applied: [], writes: 0 });
    expect(rewritten.calls.by_endpoint['POST /api/2.0/workspace/import']).toBe(2); // the deploy lock, then the record
    const places = await getJson<{ content: string }>(`/api/2.0/workspace/export?path=${file}&format=AUTO`);
    expect(JSON.parse(Buffer.from(places.content, 'base64').toString('utf8'))).toEqual({ catalogs: ['lab', 'main'], schemas: ['main.landing'] });
    expect((await deploy()).calls.writes).toBe(0);
  });

  it('--no-prune keeps it and says so; without it the plan retires it (files kept)', async () => {
    writeProject({ landing: true, volume: false });
    const kept = await plan(['--no-prune']);
    expect(summary(kept)).toEqual([]);
    expect(kept.uc.kept).toEqual([{ type: 'volume', key: 'volumes.raw', name: 'main.landing.raw', reason: 'no-prune' }]);
    expect((await cli(['plan', '--no-prune'])).stdout).toContain('= kept volume main.landing.raw [volumes.raw] — no longer declared; kept because of --no-prune');
    const noPrune = await deploy(['--no-prune']);
    // (the edited databricks.yml itself is synced; nothing in Unity Catalog is written)
    expect(noPrune.uc).toEqual({ applied: [], writes: 0 });

    const p = await plan();
    expect(summary(p)).toEqual(['revoke volume main.landing.raw', 'retire volume main.landing.raw']);
    await deploy();
    const volume = await getJson<{ comment: string; owner: string }>('/api/2.1/unity-catalog/volumes/main.landing.raw');
    expect(volume.comment).toBe('raw files [brickyard:project=removal%2Fdefault&resource=volumes.raw&state=retired]');
    expect(await (await ws.api(FILE)).text()).toBe('id\n1\n');
    expect((await plan()).changes).toBe(false);
  });

  it('--purge-data shows the drop, then drops it', async () => {
    const p = await plan(['--purge-data']);
    expect(summary(p)).toEqual(['purge volume main.landing.raw']);
    expect((await cli(['plan', '--purge-data'])).stdout).toContain('x purge volume main.landing.raw [volumes.raw] — DROPS ITS DATA');
    await deploy(['--purge-data']);
    expect((await ws.api('/api/2.1/unity-catalog/volumes/main.landing.raw')).status).toBe(404);
  });
});

describe('a schema in a catalog the project no longer names', () => {
  it('is found through the places record and retired; only the recorded catalogs are listed', async () => {
    // another catalog in the metastore the project never used: its schemas are never listed
    expect((await ws.api('/api/2.1/unity-catalog/catalogs', { method: 'POST', json: { name: 'unrelated' } })).status).toBe(200);
    writeProject({ landing: false, volume: false });
    const p = await plan();
    expect(summary(p)).toEqual(['retire schema main.landing']);
    expect(p.calls.by_endpoint['GET /api/2.1/unity-catalog/schemas']).toBe(2); // lab and main, not unrelated
    await deploy();
    const schema = await getJson<{ properties: Record<string, string> }>('/api/2.1/unity-catalog/schemas/main.landing');
    expect(schema.properties['brickyard.state']).toBe('retired');
    expect((await plan()).changes).toBe(false);

    expect(summary(await plan(['--purge-data']))).toEqual(['purge schema main.landing']);
    await deploy(['--purge-data']);
    expect((await ws.api('/api/2.1/unity-catalog/schemas/main.landing')).status).toBe(404);
    const places = await getJson<{ content: string }>('/api/2.0/workspace/export?path=/Workspace/Shared/removal/.brickyard/uc-places.json&format=AUTO');
    expect(JSON.parse(Buffer.from(places.content, 'base64').toString('utf8'))).toEqual({ catalogs: ['lab'], schemas: [] });
    const quiet = await plan();
    expect(quiet.changes).toBe(false);
    expect(quiet.calls.by_endpoint['GET /api/2.1/unity-catalog/schemas']).toBe(1);
  });
});

describe('a configuration with no Unity Catalog block left', () => {
  it('retires what the project owns (the places record says it deployed some), and destroy still finds it', async () => {
    writeFileSync(join(dir, 'databricks.yml'), 'bundle: { name: removal }\nworkspace: { root_path: /Workspace/Shared/removal }\n');
    const p = await plan();
    expect(summary(p)).toEqual(['retire schema lab.s1', 'retire catalog lab']);
    await deploy();
    const catalog = await getJson<{ properties: Record<string, string> }>('/api/2.1/unity-catalog/catalogs/lab');
    expect(catalog.properties['brickyard.state']).toBe('retired');
    expect((await plan()).changes).toBe(false);

    const destroyed = await cli(['destroy', '--yes', '--purge-data']);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect((await ws.api('/api/2.1/unity-catalog/catalogs/lab')).status).toBe(404);
  });

  it('a project that never deployed Unity Catalog objects reads only the places record, nothing of Unity Catalog', async () => {
    writeFileSync(join(dir, 'databricks.yml'), 'bundle: { name: jobs_only }\nworkspace: { root_path: /Workspace/Shared/jobs_only }\n');
    const p = planJson((await cli(['plan', '--json'])).stdout);
    expect(p.uc).toBeUndefined();
    expect(Object.keys(p.calls.by_endpoint).filter((k) => k.includes('unity-catalog') || k.includes('scim'))).toEqual([]);
  });
});
