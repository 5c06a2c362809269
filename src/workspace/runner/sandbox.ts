import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Notebook isolation: user code runs under bubblewrap with the state directory (database files,
 * table files, other runs' files) replaced by an empty read-only tmpfs, so it reaches data only
 * through the API with its run-as token. The host file system, the network (the API is on
 * 127.0.0.1) and the interpreter stay as they are; capabilities are dropped so a root user cannot
 * unmount the tmpfs. No --die-with-parent: after a crash the next start finds and stops the
 * process group itself (killOrphanRunner), as without the sandbox.
 */

export type SandboxStatus = { isolated: true; bwrap: string } | { isolated: false; reason: string };

/** What a sandboxed process may see of the state directory. */
export interface SandboxMounts {
  /** Hidden entirely. */
  stateDir: string;
  /** Bound back read-write inside the hidden state directory (the attempt's own work directory...). */
  visible: string[];
  /** Bound back read-only (the runner package, should it live under the state directory). */
  readOnly?: string[];
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
    mkdirSync(scratch, { recursive: true });
    const argv = [...sandboxArgs({ stateDir: hidden, visible: [scratch] }), 'true'];
    const res = spawnSync(bwrap, argv, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    if (res.error) {
      const code = (res.error as NodeJS.ErrnoException).code;
      return { isolated: false, reason: code === 'ENOENT' ? `${bwrap} (bubblewrap) is not installed` : `${bwrap} did not start: ${res.error.message}` };
    }
    if (res.status !== 0) {
      const why = res.stderr.toString('utf8').trim().split('\n')[0]?.slice(0, 200) ?? '';
      return { isolated: false, reason: `${bwrap} does not work here (exit ${res.status ?? res.signal}${why ? `: ${why}` : ''})` };
    }
    return { isolated: true, bwrap };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function real(path: string): string {
  mkdirSync(path, { recursive: true });
  return realpathSync(path);
}

/** bwrap's arguments up to (not including) the command. */
export function sandboxArgs(mounts: SandboxMounts): string[] {
  const stateDir = real(mounts.stateDir);
  const args = [
    '--unshare-pid',
    '--unshare-ipc',
    '--cap-drop',
    'ALL',
    '--bind',
    '/',
    '/',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    stateDir,
  ];
  for (const dir of mounts.visible) {
    const path = real(dir);
    args.push('--bind', path, path);
  }
  for (const dir of mounts.readOnly ?? []) {
    const path = realpathSync(dir);
    if (path === stateDir || path.startsWith(stateDir + sep)) args.push('--ro-bind', path, path);
  }
  // writes anywhere else in the state directory fail instead of landing in the throwaway tmpfs
  args.push('--remount-ro', stateDir);
  return args;
}

/**
 * The command line that runs `command args` sandboxed, or as it is when no sandbox works here.
 */
export function sandboxedCommand(command: string, args: string[], mounts: SandboxMounts | undefined): { command: string; args: string[] } {
  if (!mounts) return { command, args };
  const status = sandboxStatus();
  if (!status.isolated) return { command, args };
  return { command: status.bwrap, args: [...sandboxArgs(mounts), '--', command, ...args] };
}
