/**
 * Import + export of 1,000 small notebooks through the Workspace API of a local workspace
 * started like `brickyard up` (persistent PGlite in a temp state dir), sequentially and with 8
 * requests in flight; every export is checked against what was imported. Prints a markdown table.
 * Run: npx tsx bench/workspace-import-export.ts [count]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/core/logger.js';
import { startWorkspace } from '../src/workspace/server.js';
import { workspaceService } from '../src/workspace/services/workspace/index.js';

const COUNT = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(COUNT) || COUNT < 1) {
  console.error(`usage: npx tsx bench/workspace-import-export.ts [count]; count must be a positive integer, got "${process.argv[2] ?? ''}"`);
  process.exit(2);
}
const ADMIN = 'bench@example.com';

interface Row {
  phase: string;
  concurrency: number;
  ops: number;
  seconds: number;
  p50: number;
  p95: number;
}

function notebook(i: number): string {
  return `# Databricks notebook source\nimport math\nvalue = math.sqrt(${i})\n\n# COMMAND ----------\n\n# MAGIC %md\n# MAGIC Notebook ${i}\n\n# COMMAND ----------\n\nprint(value)\n`;
}

async function runPool(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'brickyard-bench-'));
  const ws = await startWorkspace({ stateDir, port: 0, services: [workspaceService], adminUserName: ADMIN, logger: silentLogger });
  const token = ws.initialAdminToken ?? (await ws.mintTokenFor(ADMIN));
  const call = async (path: string, init: RequestInit = {}): Promise<unknown> => {
    const r = await fetch(ws.url + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    const body = (await r.json()) as unknown;
    if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(body)}`);
    return body;
  };
  const rows: Row[] = [];
  try {
    for (const concurrency of [1, 8]) {
      const dir = `/Users/${ADMIN}/bench-c${concurrency}`;
      await call('/api/2.0/workspace/mkdirs', { method: 'POST', body: JSON.stringify({ path: dir }) });
      const imported = await runPool(COUNT, concurrency, async (i) => {
        const content = Buffer.from(notebook(i)).toString('base64');
        await call('/api/2.0/workspace/import', { method: 'POST', body: JSON.stringify({ path: `${dir}/nb${i}`, format: 'SOURCE', language: 'PYTHON', content }) });
      });
      const exported = await runPool(COUNT, concurrency, async (i) => {
        const body = (await call(`/api/2.0/workspace/export?format=SOURCE&path=${encodeURIComponent(`${dir}/nb${i}`)}`)) as { content: string };
        if (Buffer.from(body.content, 'base64').toString() !== notebook(i)) throw new Error(`nb${i} did not round-trip`);
      });
      const listed = await runPool(1, 1, async () => {
        const body = (await call(`/api/2.0/workspace/list?path=${encodeURIComponent(dir)}`)) as { objects: unknown[] };
        if (body.objects.length !== COUNT) throw new Error(`listed ${body.objects.length} of ${COUNT}`);
      });
      // one list call per round: report it once, as the single request it is
      const phases = [['import', imported, concurrency], ['export', exported, concurrency], ...(concurrency === 1 ? [[`list (${COUNT} children)`, listed, 1] as const] : [])] as const;
      for (const [phase, run, inFlight] of phases) {
        rows.push({ phase, concurrency: inFlight, ops: run.latencies.length, seconds: run.seconds, p50: percentile(run.latencies, 50), p95: percentile(run.latencies, 95) });
      }
    }
  } finally {
    await ws.close();
    rmSync(stateDir, { recursive: true, force: true });
  }

  console.log(`workspace import/export of ${COUNT} small SOURCE notebooks through the API, persistent PGlite, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(2)}`);
  console.log('');
  console.log('| phase | in flight | ops | total s | ops/s | p50 ms | p95 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.phase} | ${r.concurrency} | ${r.ops} | ${r.seconds.toFixed(2)} | ${(r.ops / r.seconds).toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
