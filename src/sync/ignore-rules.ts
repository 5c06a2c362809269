/**
 * Which local paths a sync leaves out: built-in tool/cache patterns, .gitignore files (the
 * repository's, from its root down to every nested directory), and the project's
 * `sync.include` / `sync.exclude` globs.
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

/** Never synced: VCS and tool state, caches, compiled Python, our own state directory. */
export const DEFAULT_EXCLUDES = [
  '.git',
  '.github',
  '.gitignore',
  '.brickyard',
  '.databricks',
  'node_modules',
  '__pycache__',
  '.pytest_cache',
  '*.pyc',
  '*.pyo',
  '.DS_Store',
];

const defaultRules = ignore().add(DEFAULT_EXCLUDES);

/** gitignore rules of one directory; `base` is that directory relative to the ignore root ('' = root). */
export interface GitignoreRules {
  base: string;
  rules: Ignore;
}

export function isDefaultExcluded(relPath: string, isDir: boolean): boolean {
  return defaultRules.ignores(isDir ? `${relPath}/` : relPath);
}

/** Reads `<dir>/.gitignore` (and `.git/info/exclude` at a repository root) into rules, if present. */
export function readGitignore(dir: string, base: string): GitignoreRules | undefined {
  const texts: string[] = [];
  for (const file of [path.join(dir, '.git', 'info', 'exclude'), path.join(dir, '.gitignore')]) {
    try {
      texts.push(fs.readFileSync(file, 'utf8'));
    } catch {
      // absent or unreadable: no rules from it
    }
  }
  return texts.length === 0 ? undefined : { base, rules: ignore().add(texts.join('\n')) };
}

/**
 * git's verdict for a path relative to the ignore root. Deeper files win: a nested `!pattern`
 * re-includes what a parent .gitignore excluded (a path inside an excluded directory is never
 * asked, since the walk does not enter it).
 */
export function isGitignored(stack: readonly GitignoreRules[], relPath: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, rules } of stack) {
    if (base !== '' && !relPath.startsWith(`${base}/`)) continue;
    const local = base === '' ? relPath : relPath.slice(base.length + 1);
    const verdict = rules.test(isDir ? `${local}/` : local);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/**
 * The repository root holding `dir` (the nearest ancestor with `.git`), or undefined outside a
 * repository. Its .gitignore files above the sync source still apply.
 */
export function findRepositoryRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** A compiled `sync.include` / `sync.exclude` list; patterns without '/' match a name at any depth. */
export class GlobList {
  private readonly matchers: Array<{ pattern: string; anyDepth: boolean; test: (p: string) => boolean; base: string }>;

  constructor(patterns: readonly string[]) {
    this.matchers = patterns.map((raw) => {
      const pattern = raw.replace(/^\.\//, '').replace(/\/$/, '');
      return {
        pattern,
        anyDepth: !pattern.includes('/'),
        test: picomatch(pattern, { dot: true }),
        base: picomatch.scan(pattern).base,
      };
    });
  }

  get isEmpty(): boolean {
    return this.matchers.length === 0;
  }

  matches(relPath: string): boolean {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    return this.matchers.some((m) => m.test(m.anyDepth ? name : relPath));
  }

  /** Whether some pattern could match a path below directory `relDir` (to avoid walking huge ignored trees). */
  couldMatchBelow(relDir: string): boolean {
    return this.matchers.some(
      (m) => m.anyDepth || m.base === '' || m.base === relDir || m.base.startsWith(`${relDir}/`) || relDir.startsWith(`${m.base}/`),
    );
  }
}
