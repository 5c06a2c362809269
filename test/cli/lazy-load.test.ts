/**
 * `brickyard --version`, `--help`, `<command> --help` and usage errors answer from the command
 * declarations alone: no runtime dependency (the SDK, DuckDB, PGlite, pg-boss, Hono, Drizzle, yaml,
 * zod …) is loaded, since each command imports what it runs with inside its `run`. Proven by
 * recording every module the built CLI (bin/brickyard.mjs, so dist/ must be current) resolves,
 * through a module resolve hook; never by timing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/reference.js';

const CLI = join(REPO_ROOT, 'bin', 'brickyard.mjs');
const DIST = join(REPO_ROOT, 'dist');
const RUNTIME_DEPENDENCIES = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

/** Appends the URL of every module resolved (ESM imports, static and dynamic) to the file it is given. */
const RECORDING_HOOKS = `
import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(out, resolved.url + '\\n');
  return resolved;
}`;

const scratch = mkdtempSync(join(tmpdir(), 'brickyard-lazy-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let runs = 0;

interface Loaded {
  status: number | null;
  stdout: string;
  /** every module URL resolved, in order */
  urls: string[];
}

/** Runs node with the recording hooks registered before `args` (a script and its arguments). */
function loadedBy(args: readonly string[]): Loaded {
  const out = join(scratch, `modules-${++runs}.txt`);
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORDING_HOOKS)}`)}, { data: { out: ${JSON.stringify(out)} } });`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, ...args], {
    cwd: scratch,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: scratch },
  });
  const urls = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l !== '') : [];
  expect(urls.length, `nothing recorded: ${r.stderr}`).toBeGreaterThan(0);
  expectBuiltFromCurrentSources(urls);
  return { status: r.status, stdout: r.stdout, urls };
}

/** The npm packages among the URLs (`@scope/name` or `name`), once each. */
function packagesIn(urls: readonly string[]): string[] {
  const names = urls.flatMap((u) => {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    return m?.[1] !== undefined ? [m[1]] : [];
  });
  return [...new Set(names)].sort();
}

function runtimeDependenciesIn(urls: readonly string[]): string[] {
  return packagesIn(urls).filter((p) => RUNTIME_DEPENDENCIES.includes(p));
}

/** A stale dist/ would prove nothing about src/: every dist module loaded must be newer than its source. */
function expectBuiltFromCurrentSources(urls: readonly string[]): void {
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    if (!file.startsWith(DIST + '/')) continue;
    const source = join(REPO_ROOT, 'src', relative(DIST, file).replace(/\.js$/, '.ts'));
    if (!existsSync(source)) continue;
    expect(statSync(file).mtimeMs, `${relative(REPO_ROOT, file)} is older than its source: run \`npx tsc -p tsconfig.build.json\``).toBeGreaterThanOrEqual(statSync(source).mtimeMs);
  }
}

describe('the CLI loads no runtime dependency before a command runs', () => {
  it('the dependencies it guards against are runtime dependencies of the package', () => {
    for (const heavy of ['@databricks/sdk-experimental', '@duckdb/node-api', '@electric-sql/pglite', 'pg-boss', 'hono', 'drizzle-orm', 'yaml', 'zod']) {
      expect(RUNTIME_DEPENDENCIES).toContain(heavy);
    }
  });

  it('--version: not even the command declarations', () => {
    const r = loadedBy([CLI, '--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^brickyard \d/);
    expect(packagesIn(r.urls)).toEqual([]);
    expect(r.urls.filter((u) => u.includes('/dist/cli/commands/'))).toEqual([]);
  });

  it('--help: the declarations of every command, without their dependencies', () => {
    const r = loadedBy([CLI, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('datasets list');
    expect(r.urls.some((u) => u.endsWith('/dist/cli/commands/up.js'))).toBe(true);
    expect(runtimeDependenciesIn(r.urls)).toEqual([]);
  });

  it('datasets list --help, and a usage error (datasets add without FILE)', () => {
    const help = loadedBy([CLI, 'datasets', 'list', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('brickyard datasets list — ');
    expect(runtimeDependenciesIn(help.urls)).toEqual([]);
    const usage = loadedBy([CLI, 'datasets', 'add']);
    expect(usage.status).toBe(2);
    expect(runtimeDependenciesIn(usage.urls)).toEqual([]);
  });

  it('<command> --help of every command whose usage is text (init lists its templates from the package)', () => {
    // one process asks for every help in turn: what any of them loads is recorded
    const script = `
      const { main } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'cli', 'main.js')).href)});
      const { allCommands } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'cli', 'commands', 'index.js')).href)});
      const io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: {}, cwd: process.cwd(), isTTY: false, interrupted: new Promise(() => {}) };
      for (const c of allCommands()) {
        if (typeof c.usage === 'function') continue;
        const code = await main([...c.path, '--help'], io);
        process.stdout.write('exit ' + c.path.join(' ') + ' ' + code + '\\n');
      }`;
    const r = loadedBy(['--input-type=module', '--eval', script]);
    expect(r.status).toBe(0);
    const exits = r.stdout.split('\n').filter((l) => l.startsWith('exit '));
    expect(exits.length).toBeGreaterThan(15);
    for (const line of exits) expect(line).toMatch(/ 0$/);
    expect(exits).toContain('exit up 0');
    expect(exits).toContain('exit bundle deploy 0');
    expect(runtimeDependenciesIn(r.urls)).toEqual([]);
  });

  it('a command loads its dependencies when it runs (the recording sees them)', () => {
    // validate loads the project loader, which parses databricks.yml with yaml
    const r = loadedBy([CLI, 'validate', '--json']);
    expect(r.stdout).toContain('"ok":false');
    expect(runtimeDependenciesIn(r.urls)).toContain('yaml');
  });
});
