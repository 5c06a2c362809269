/**
 * The web UI's performance budgets, measured in Debian's chromium through playwright-core:
 *  1. a job with 1,000 runs renders its run matrix (tasks × runs) within 500 ms of the data arriving;
 *  2. a run of 100 tasks renders its task graph (dagre layout + SVG) within 500 ms of the data arriving;
 *  3. the size of the built bundle.
 * "Data arriving" and "rendered" are User Timing marks the UI sets (run-matrix:data/rendered,
 * task-graph:data/rendered), so fetching is reported separately from rendering.
 * Run: npm run bench -- web-ui   (needs `npm run build` for web/dist and /usr/bin/chromium)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { allServices } from '../src/workspace/services/index.js';
import { haveChromium, launchBrowser } from '../test/helpers/browser.js';
import { api, median, startBenchWorkspace, type Json } from './lib/workspace.js';

const RUNS = 1000;
const TASKS = 100;
const REPEAT = 5;

function row(label: string, value: string): void {
  console.log(`| ${label} | ${value} |`);
}

async function main(): Promise<void> {
  if (!haveChromium) throw new Error('web-ui bench needs /usr/bin/chromium (apt-get install chromium)');
  const bench = await startBenchWorkspace('web-ui', allServices());
  const { ws, token } = bench;
  const browser = await launchBrowser();
  try {
    const condition = (key: string, deps: string[] = []) => ({ task_key: key, ...(deps.length ? { depends_on: deps.map((task_key) => ({ task_key })) } : {}), condition_task: { op: 'EQUAL_TO', left: '1', right: '1' } });
    const jobId = Number((await api(ws, token, 'POST', '/api/2.2/jobs/create', { name: 'matrix', max_concurrent_runs: 100, tasks: [condition('extract'), condition('clean', ['extract']), condition('report', ['extract'])] }))['job_id']);
    const started = performance.now();
    for (let done = 0; done < RUNS; done += 100) {
      await Promise.all(Array.from({ length: 100 }, () => api(ws, token, 'POST', '/api/2.2/jobs/run-now', { job_id: jobId })));
      while ((await api(ws, token, 'GET', '/api/2.2/jobs/runs/list', { job_id: jobId, active_only: true, limit: 1 }))['runs']) await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`(set-up: ${RUNS} runs of a 3-task job in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    // a binary tree of 100 condition tasks: task i depends on task (i-1)/2
    const tasks = Array.from({ length: TASKS }, (_, i) => condition(`t${i}`, i === 0 ? [] : [`t${Math.floor((i - 1) / 2)}`]));
    const runId = Number((await api(ws, token, 'POST', '/api/2.2/jobs/runs/submit', { run_name: 'graph', tasks }))['run_id']);
    while (((await api(ws, token, 'GET', '/api/2.2/jobs/runs/get', { run_id: runId }))['state'] as Json)['life_cycle_state'] !== 'TERMINATED') await new Promise((r) => setTimeout(r, 100));

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: ws.url });
    await context.addInitScript({ content: `localStorage.setItem('brickyard.token', ${JSON.stringify(token)});` });
    const page = await context.newPage();

    const matrixRender: number[] = [];
    const matrixTotal: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      await page.goto(`/?r=${i}#job/${jobId}`);
      await page.getByTestId('run-matrix').waitFor();
      const t0 = (await page.evaluate('performance.now()')) as number;
      await page.getByRole('combobox').selectOption(String(RUNS));
      // string expressions: tsx would wrap a function's body in helpers the page does not have
      const mark = (name: string) => `performance.getEntriesByName('${name}').find((m) => m.detail && m.detail.runs === ${RUNS})`;
      await page.waitForFunction(`Boolean(${mark('run-matrix:rendered')})`, undefined, { timeout: 120_000 });
      const [data, rendered] = (await page.evaluate(`[${mark('run-matrix:data')}.startTime, ${mark('run-matrix:rendered')}.startTime]`)) as [number, number];
      matrixRender.push(rendered - data);
      matrixTotal.push(rendered - t0);
      const cells = await page.locator('[data-testid="run-matrix"] a.cell').count();
      if (cells !== RUNS * 3) throw new Error(`expected ${RUNS * 3} matrix cells, found ${cells}`);
    }

    const graphRender: number[] = [];
    const graphTotal: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      await page.goto(`/?g=${i}#job/0/run/${runId}`);
      await page.waitForFunction(`performance.getEntriesByName('task-graph:rendered').length > 0`, undefined, { timeout: 60_000 });
      const [data, rendered] = (await page.evaluate(`[performance.getEntriesByName('task-graph:data')[0].startTime, performance.getEntriesByName('task-graph:rendered')[0].startTime]`)) as [number, number];
      graphRender.push(rendered - data);
      graphTotal.push(rendered);
      const nodes = await page.locator('[data-testid="task-graph"] [data-task]').count();
      if (nodes !== TASKS) throw new Error(`expected ${TASKS} graph nodes, found ${nodes}`);
    }

    const assets = join('web', 'dist', 'assets');
    const sizes = readdirSync(assets).map((f) => ({ f, raw: statSync(join(assets, f)).size, gz: gzipSync(readFileSync(join(assets, f))).length }));
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log('\n| measure | figure |\n| --- | --- |');
    row(`run matrix, ${RUNS} runs × 3 tasks: data → rendered (median of ${REPEAT}; budget 500 ms)`, `${ms(median(matrixRender))} (max ${ms(Math.max(...matrixRender))})`);
    row(`run matrix: choosing ${RUNS} runs → rendered, incl. fetching ${RUNS / 25} pages (median)`, ms(median(matrixTotal)));
    row(`task graph, ${TASKS} tasks: data → laid out and rendered (median of ${REPEAT}; budget 500 ms)`, `${ms(median(graphRender))} (max ${ms(Math.max(...graphRender))})`);
    row('task graph: page load → rendered (median)', ms(median(graphTotal)));
    for (const s of sizes) row(`bundle ${s.f.replace(/-[\w-]+\./, '.')}`, `${(s.raw / 1024).toFixed(0)} KiB (${(s.gz / 1024).toFixed(0)} KiB gzip)`);
  } finally {
    await browser.close();
    await bench.close();
  }
}

await main();
