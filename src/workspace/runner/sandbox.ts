import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Notebook isolation: user code runs under bubblewrap with
 * - the state directory (database files, table files, other runs' files) replaced by an empty
 *   read-only tmpfs, so it reaches data only through the API with its run-as token;
 * - the server user's home (~/.databrickscfg, ~/.pgpass, ssh keys…) and the temporary directories
 *   (other processes' files and Unix sockets, e.g. Postgres') replaced by empty writable tmpfs, with
 *   the interpreter and the runner package bound back read-only when they live there;
 * - its own network namespace where only loopback exists: the runner forwards 127.0.0.1:<API port>
 *   to the server's Unix socket, the one thing bound in, so Postgres, SMTP and any other local
 *   service are out of reach (unless the machine cannot make a network namespace, or `up
 *   --notebook-network host`).
 * Capabilities are dropped so a root user cannot unmount the tmpfs. No --die-with-parent: after a
 * crash the next start finds and stops the process group itself (killOrphanRunner).
 */

export type SandboxStatus =
  | { isolated: true; bwrap: string; privateNetwork: true }
  | { isolated: true; bwrap: string; privateNetwork: false; networkReason: string }
  | { isolated: false; reason: string };

/** What a sandboxed process may see. */
export interface SandboxMounts {
  /** Hidden entirely. */
  stateDir: string;
  /** Bound back read-write inside the hidden state directory (the attempt's own work directory...). */
  visible: string[];
  /** Bound back read-only when they lie in a hidden directory (the runner package, the interpreter). */
  readOnly?: string[];
  /** Hidden behind an empty writable tmpfs (see hostPrivateDirs). */
  hidden?: string[];
  /** Own network namespace (loopback only); this directory, holding the API's Unix socket, is bound in read-only. */
  apiSocketDir?: string;
}

let probed: SandboxStatus | undefined;

/** Probes once whether `bwrap` works here (user namespaces may be off, or bwrap not installed). */
export function sandboxStatus(): SandboxStatus {
  probed ??= probe(process.env['BRICKYARD_BWRAP'] ?? 'bwrap');
  return probed;
}

/** Tests: forget the probe. */
export function resetSandboxProbe(): void {
  probed = undefined;
}

function probe(bwrap: string): SandboxStatus {
  if (process.platform !== 'linux') return { isolated: false, reason: `bubblewrap sandboxes need Linux (this is ${process.platform})` };
  const dir = mkdtempSync(join(tmpdir(), 'brickyard-sandbox-probe-'));
  try {
    const hidden = join(dir, 'state');
    const scratch = join(hidden, 'runs', 'probe');
    const socketDir = join(dir, 'api');
    mkdirSync(scratch, { recursive: true });
    mkdirSync(socketDir);
    const mounts: SandboxMounts = { stateDir: hidden, visible: [scratch] };
    const withNetwork = tryBwrap(bwrap, { ...mounts, hidden: hostPrivateDirs(true), apiSocketDir: socketDir });
    if (withNetwork === undefined) return { isolated: true, bwrap, privateNetwork: true };
    // e.g. a container that allows user namespaces but not network namespaces
    const without = tryBwrap(bwrap, { ...mounts, hidden: hostPrivateDirs(false) });
    if (without === undefined) return { isolated: true, bwrap, privateNetwork: false, networkReason: `${bwrap} --unshare-net does not work here (${withNetwork})` };
    return { isolated: false, reason: without };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why `bwrap <mounts> true` fails, or undefined when it works. */
function tryBwrap(bwrap: string, mounts: SandboxMounts): string | undefined {
  const res = spawnSync(bwrap, [...sandboxArgs(mounts), 'true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  if (res.error) {
    const code = (res.error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${bwrap} (bubblewrap) is not installed` : `${bwrap} did not start: ${res.error.message}`;
  }
  if (res.status === 0) return undefined;
  const why = res.stderr.toString('utf8').trim().split('\n')[0]?.slice(0, 200) ?? '';
  return `${bwrap} does not work here (exit ${res.status ?? res.signal}${why ? `: ${why}` : ''})`;
}

function realOrUndefined(path: string | undefined): string | undefined {
  if (!path || !path.startsWith('/')) return undefined;
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function within(path: string, dir: string): boolean {
  return dir === '/' ? path !== '/' : path.startsWith(dir + sep);
}

/**
 * Directories of the host that notebook code must not see: the server user's home ($HOME and the
 * account's), the temporary directories, and — with a private network — /run (daemons' Unix
 * sockets; with the host network only /run/user is hidden, as /etc/resolv.conf often points into /run).
 */
export function hostPrivateDirs(privateNetwork: boolean): string[] {
  let account: string | undefined;
  try {
    account = userInfo().homedir;
  } catch {
    account = undefined;
  }
  // /run/user: the login session's agents (ssh-agent, gpg-agent, D-Bus), hidden with either network
  const candidates = [process.env['HOME'], homedir(), account, tmpdir(), '/tmp', '/var/tmp', ...(privateNetwork ? ['/run', '/var/run'] : ['/run/user'])];
  const dirs: string[] = [];
  for (const candidate of candidates) {
    const dir = realOrUndefined(candidate);
    // "/" as a home would hide the system itself
    if (dir === undefined || dir === '/' || dirs.includes(dir)) continue;
    dirs.push(dir);
  }
  // parents first; a home inside /tmp gets its own tmpfs too, so that $HOME exists (empty) inside
  return dirs.sort();
}

function real(path: string): string {
  mkdirSync(path, { recursive: true });
  return realpathSync(path);
}

/** bwrap's arguments up to (not including) the command. */
export function sandboxArgs(mounts: SandboxMounts): string[] {
  const stateDir = real(mounts.stateDir);
  const hidden = mounts.hidden ?? [];
  const args = ['--unshare-pid', '--unshare-ipc', ...(mounts.apiSocketDir !== undefined ? ['--unshare-net'] : []), '--cap-drop', 'ALL', '--bind', '/', '/', '--proc', '/proc', '--dev', '/dev'];
  for (const dir of hidden) args.push('--tmpfs', dir);
  const insideState: string[] = [];
  for (const dir of mounts.readOnly ?? []) {
    const path = realOrUndefined(dir);
    if (path === undefined) continue;
    if (path === stateDir || within(path, stateDir)) insideState.push(path);
    // only strictly inside a hidden dir: binding back a hidden dir itself (or "/") would undo the hiding
    else if (hidden.some((h) => within(path, h))) args.push('--ro-bind', path, path);
  }
  if (mounts.apiSocketDir !== undefined) {
    const socketDir = realpathSync(mounts.apiSocketDir);
    args.push('--ro-bind', socketDir, socketDir);
  }
  // after the read-only binds: one of them may be a parent of the state directory (a project on sys.path)
  args.push('--tmpfs', stateDir);
  for (const dir of mounts.visible) {
    const path = real(dir);
    args.push('--bind', path, path);
  }
  for (const path of insideState) args.push('--ro-bind', path, path);
  // writes anywhere else in the state directory fail instead of landing in the throwaway tmpfs
  args.push('--remount-ro', stateDir);
  return args;
}

export interface SandboxedCommand {
  command: string;
  args: string[];
  /** False when no sandbox works here: the command runs as it is. */
  sandboxed: boolean;
  /** The process has its own network namespace and reaches the API only through mounts.apiSocketDir. */
  privateNetwork: boolean;
}

/**
 * The command line that runs `command args` sandboxed, or as it is when no sandbox works here.
 * A private network is used when mounts.apiSocketDir is given and network namespaces work here.
 */
export function sandboxedCommand(command: string, args: string[], mounts: SandboxMounts | undefined): SandboxedCommand {
  const status = mounts ? sandboxStatus() : undefined;
  if (!mounts || !status?.isolated) return { command, args, sandboxed: false, privateNetwork: false };
  const privateNetwork = mounts.apiSocketDir !== undefined && status.privateNetwork && existsSync(mounts.apiSocketDir);
  const { apiSocketDir, ...rest } = mounts;
  const effective: SandboxMounts = { ...rest, hidden: mounts.hidden ?? hostPrivateDirs(privateNetwork), ...(privateNetwork && apiSocketDir !== undefined ? { apiSocketDir } : {}) };
  return { command: status.bwrap, args: [...sandboxArgs(effective), '--', command, ...args], sandboxed: true, privateNetwork };
}
