import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { apiErrors } from '../../../core/errors.js';

const run = promisify(execFile);

/**
 * Git, run as a child process with no shell, no prompts and no transport that runs commands
 * (`ext::`): the local workspace clones local paths and file:// URLs (and http(s) where reachable).
 */
const SAFE = ['-c', 'protocol.ext.allow=never', '-c', 'protocol.allow=user', '-c', 'protocol.file.allow=always', '-c', 'core.hooksPath=/dev/null'];

async function git(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run('git', [...SAFE, ...args], { ...(cwd ? { cwd } : {}), env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n').slice(-2).join(' ');
    throw apiErrors.invalidParameter(`git ${args[0]} failed: ${stderr || (err as Error).message}`);
  }
}

/** Only URLs git can fetch without running anything: an absolute local path, file://, http(s)://. */
export function checkRepoUrl(url: string): void {
  if (!/^(\/|file:\/\/|https?:\/\/)/.test(url) || /[\0\n\r]/.test(url)) {
    throw apiErrors.invalidParameter(`Invalid url '${url}': the local workspace clones absolute local paths, file:// and http(s):// URLs.`);
  }
}

/** Whether the URL names this machine (an absolute path or file://) rather than a remote git provider. */
export function isLocalUrl(url: string): boolean {
  return !/^https?:\/\//.test(url);
}

/**
 * Databricks clones only from remote git providers; here a local path or file:// URL reads this
 * machine's files with the server's rights, so only workspace admins may clone from one (they
 * can then grant CAN_MANAGE on the repo to whoever works in it).
 */
export function checkMayCloneFrom(url: string, callerIsAdmin: boolean): void {
  if (callerIsAdmin || !isLocalUrl(url)) return;
  throw apiErrors.permissionDenied(
    `Only workspace admins may clone from a local path or file:// URL ('${url}'): Databricks clones only from remote git providers. Use an http(s) URL, or ask an admin to create the repo and grant you CAN_MANAGE on it.`,
  );
}

/** The directory a local path or file:// URL names, symlinks resolved when it exists; undefined for http(s). */
function localDirOf(url: string): string | undefined {
  if (!isLocalUrl(url)) return undefined;
  let path: string;
  try {
    path = url.startsWith('file://') ? fileURLToPath(url) : url;
  } catch {
    throw apiErrors.invalidParameter(`Invalid url '${url}': a file:// URL names a path on this machine.`);
  }
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Refuses to clone from the state directory: it holds every repo's clone (a user could otherwise
 * copy a repo their workspace ACLs do not let them read) and the workspace's data.
 */
export function checkNotStateDir(url: string, stateDir: string): void {
  const dir = localDirOf(url);
  if (dir === undefined) return;
  const rel = relative(localDirOf(stateDir) ?? stateDir, dir);
  const outside = rel === '..' || rel.startsWith('../') || isAbsolute(rel);
  if (!outside) throw apiErrors.invalidParameter(`Invalid url '${url}': cannot clone from the workspace's state directory.`);
}

export async function cloneRepo(url: string, dir: string): Promise<void> {
  await git(['clone', '--quiet', '--', url, dir]);
}

/** Checks out a branch (tracking the remote's) or a tag after fetching, and answers HEAD. */
export async function checkout(dir: string, ref: { branch?: string | undefined; tag?: string | undefined }): Promise<void> {
  await git(['fetch', '--quiet', '--tags', 'origin'], dir);
  if (ref.tag !== undefined) {
    await git(['checkout', '--quiet', '--detach', `refs/tags/${ref.tag}`], dir);
    return;
  }
  if (ref.branch !== undefined) {
    await git(['checkout', '--quiet', '-B', ref.branch, `refs/remotes/origin/${ref.branch}`], dir);
  }
}

export async function headCommit(dir: string): Promise<string> {
  return git(['rev-parse', 'HEAD'], dir);
}

/** The branch checked out, or undefined when detached (a tag). */
export async function currentBranch(dir: string): Promise<string | undefined> {
  const name = await git(['rev-parse', '--abbrev-ref', 'HEAD'], dir);
  return name === 'HEAD' ? undefined : name;
}
