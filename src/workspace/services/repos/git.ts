import { execFile } from 'node:child_process';
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
