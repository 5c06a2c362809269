/** Finding and reading configuration files: databricks.yml, its includes, standalone JSON configs. */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { DiagnosticCode, makeDiagnostic, type Diagnostic, type SourcePos } from './diagnostics.js';
import { parseLocated } from './source.js';
import { parseJsonLocated } from './source-json.js';

export const BUNDLE_FILE_NAMES = ['databricks.yml', 'databricks.yaml', 'bundle.yml', 'bundle.yaml'];

/** Directories never searched by include globs. */
const SKIP_DIRS = new Set(['.git', 'node_modules', '.databricks', '.brickyard', '.venv', 'venv', '__pycache__']);

/** The bundle root file: `$DATABRICKS_BUNDLE_ROOT/databricks.yml`, else cwd and its parents. */
export function findBundleFile(cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const inDir = (dir: string) => BUNDLE_FILE_NAMES.map((n) => path.join(dir, n)).find((p) => fs.existsSync(p));
  const forced = env['DATABRICKS_BUNDLE_ROOT'];
  if (forced !== undefined && forced !== '') return inDir(path.resolve(cwd, forced));
  let dir = path.resolve(cwd);
  for (;;) {
    const found = inDir(dir);
    if (found !== undefined) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Path shown in diagnostics: relative to the project root with '/', or absolute when outside it. */
export function displayPath(projectRoot: string, abs: string): string {
  const rel = path.relative(projectRoot, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return abs;
  return rel.split(path.sep).join('/');
}

export interface LoadedFile {
  abs: string;
  display: string;
  value: unknown;
  pos: SourcePos;
}

/** YAML only for `.yml`/`.yaml`; every other configuration file is strict JSON. */
export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Read and parse one file; on failure the diagnostics say why and `value` is undefined. */
export function readConfigFile(projectRoot: string, abs: string): { file: LoadedFile; diagnostics: Diagnostic[] } {
  const display = displayPath(projectRoot, abs);
  const pos: SourcePos = { file: display, line: 1, col: 1 };
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read file: ${(err as Error).message}`;
    return {
      file: { abs, display, value: undefined, pos },
      diagnostics: [makeDiagnostic('error', DiagnosticCode.parse, pos, '', why, 'check the path')],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = isYamlFile(abs) ? parseLocated(text, display) : parseJsonLocated(text, display);
  return { file: { abs, display, value: parsed.value, pos }, diagnostics: parsed.diagnostics };
}

/** All files below `root` (relative, '/'-separated), skipping VCS/tool directories. */
export function listProjectFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), r);
      } else if (e.isFile()) {
        out.push(r);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

/** Expand `include` globs (relative to the project root) to files, in a stable order. */
export function expandIncludes(projectRoot: string, patterns: readonly string[]): Map<string, string[]> {
  const files = listProjectFiles(projectRoot);
  const result = new Map<string, string[]>();
  for (const pattern of patterns) {
    const clean = pattern.replace(/^\.\//, '');
    const isMatch = picomatch(clean, { dot: false });
    result.set(pattern, files.filter((f) => isMatch(f)));
  }
  return result;
}
