/**
 * Walks the sync source and classifies every file: Jupyter notebook, SOURCE notebook (a
 * `.py/.sql/.scala/.r` with the Databricks header), plain workspace file, or skipped (excluded,
 * gitignored, binary, too large).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../core/hash.js';
import { detectNotebook, isProbablyBinary, remoteNotebookName } from '../notebook/index.js';
import {
  GlobList,
  findRepositoryRoot,
  isDefaultExcluded,
  isGitignored,
  readGitignore,
  type GitignoreRules,
} from './ignore-rules.js';
import type { DiscoveryResult, LocalEntry, SkippedEntry } from './types.js';

/** `workspace/import` refuses content above 10 MB (MAX_NOTEBOOK_SIZE_EXCEEDED). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export const SkipReason = {
  excluded: 'excluded pattern',
  syncExclude: 'sync.exclude',
  gitignored: 'gitignored',
  binary: 'binary',
  symlinkDirectory: 'symlink to a directory',
  brokenSymlink: 'broken symlink',
  special: 'not a regular file',
} as const;

export interface DiscoverOptions {
  sourceRoot: string;
  /** globs (relative to the source) synced even when gitignored */
  include?: readonly string[];
  /** globs (relative to the source) never synced */
  exclude?: readonly string[];
  /** notebooks (by relative path) whose workspace name keeps the extension, because jobs name them so */
  keepExtension?: (relPath: string) => boolean;
}

interface WalkState {
  sourceRoot: string;
  /** path from the ignore root (repository root, else the source) to the source, '' when equal */
  prefix: string;
  include: GlobList;
  exclude: GlobList;
  entries: LocalEntry[];
  skipped: SkippedEntry[];
  keepExtension: (relPath: string) => boolean;
}

export function discover(opts: DiscoverOptions): DiscoveryResult {
  const sourceRoot = path.resolve(opts.sourceRoot);
  const stat = statOrUndefined(sourceRoot);
  if (!stat?.isDirectory()) throw new Error(`sync source ${sourceRoot} is not a directory`);
  const repoRoot = findRepositoryRoot(sourceRoot);
  const prefix = repoRoot === undefined ? '' : toPosix(path.relative(repoRoot, sourceRoot));
  const state: WalkState = {
    sourceRoot,
    prefix,
    include: new GlobList(opts.include ?? []),
    exclude: new GlobList(opts.exclude ?? []),
    entries: [],
    skipped: [],
    keepExtension: opts.keepExtension ?? (() => false),
  };
  walk(state, sourceRoot, '', ancestorRules(repoRoot, prefix), false);
  state.entries.sort((a, b) => compare(a.relPath, b.relPath));
  state.skipped.sort((a, b) => compare(a.relPath, b.relPath));
  return { sourceRoot, entries: state.entries, skipped: state.skipped };
}

/** .gitignore rules of the repository directories above the source (they apply to it too). */
function ancestorRules(repoRoot: string | undefined, prefix: string): GitignoreRules[] {
  if (repoRoot === undefined || prefix === '') return [];
  const stack: GitignoreRules[] = [];
  let dir = repoRoot;
  let base = '';
  for (const segment of prefix.split('/')) {
    const rules = readGitignore(dir, base);
    if (rules) stack.push(rules);
    dir = path.join(dir, segment);
    base = base === '' ? segment : `${base}/${segment}`;
  }
  return stack;
}

/**
 * `insideIgnored`: the directory is gitignored but entered because a `sync.include` pattern
 * may re-include something below it; only include matches are taken there, silently.
 */
function walk(state: WalkState, dirAbs: string, rel: string, parentRules: GitignoreRules[], insideIgnored: boolean): void {
  const own = insideIgnored ? undefined : readGitignore(dirAbs, gitPath(state, rel));
  const rules = own ? [...parentRules, own] : parentRules;
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dirAbs, { withFileTypes: true });
  } catch (err) {
    if (rel !== '') state.skipped.push({ relPath: `${rel}/`, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  names.sort((a, b) => compare(a.name, b.name));
  const skip = (relPath: string, reason: string) => {
    if (!insideIgnored) state.skipped.push({ relPath, reason });
  };
  for (const dirent of names) {
    const relPath = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
    const abs = path.join(dirAbs, dirent.name);
    let isDir = dirent.isDirectory();
    let isFile = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      const target = statOrUndefined(abs);
      if (target === undefined) {
        skip(relPath, SkipReason.brokenSymlink);
        continue;
      }
      // Following directory links could loop; link the files themselves instead.
      if (target.isDirectory()) {
        skip(`${relPath}/`, SkipReason.symlinkDirectory);
        continue;
      }
      isDir = false;
      isFile = target.isFile();
    }
    const shown = isDir ? `${relPath}/` : relPath;
    if (isDefaultExcluded(relPath, isDir)) {
      skip(shown, SkipReason.excluded);
      continue;
    }
    if (state.exclude.matches(relPath)) {
      skip(shown, SkipReason.syncExclude);
      continue;
    }
    const ignored = insideIgnored || isGitignored(rules, gitPath(state, relPath), isDir);
    if (isDir) {
      if (!ignored) walk(state, abs, relPath, rules, false);
      else {
        skip(shown, SkipReason.gitignored);
        if (state.include.couldMatchBelow(relPath)) walk(state, abs, relPath, rules, true);
      }
      continue;
    }
    if (ignored && !state.include.matches(relPath)) {
      skip(shown, SkipReason.gitignored);
      continue;
    }
    if (!isFile) {
      skip(shown, SkipReason.special);
      continue;
    }
    classify(state, abs, relPath);
  }
}

function classify(state: WalkState, abs: string, relPath: string): void {
  let bytes: Buffer;
  try {
    const size = fs.statSync(abs).size;
    if (size > MAX_IMPORT_BYTES) {
      state.skipped.push({ relPath, reason: `too large: ${formatMegabytes(size)}, the workspace import limit is 10 MB` });
      return;
    }
    bytes = fs.readFileSync(abs);
  } catch (err) {
    state.skipped.push({ relPath, reason: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    return;
  }
  if (isProbablyBinary(bytes)) {
    state.skipped.push({ relPath, reason: SkipReason.binary });
    return;
  }
  const detection = detectNotebook(relPath, bytes);
  const common = { relPath, localPath: abs, hash: sha256Hex(bytes), size: bytes.length };
  state.entries.push(
    detection.kind === 'notebook'
      ? {
          ...common,
          remoteRelPath: state.keepExtension(relPath) ? relPath : remoteNotebookName(relPath),
          kind: 'notebook',
          format: detection.format,
          language: detection.language,
        }
      : { ...common, remoteRelPath: relPath, kind: 'file', format: 'RAW' },
  );
}

function gitPath(state: WalkState, relPath: string): string {
  if (state.prefix === '') return relPath;
  return relPath === '' ? state.prefix : `${state.prefix}/${relPath}`;
}

function statOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs);
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Code-point order, independent of the locale, so plans and output are stable everywhere. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
