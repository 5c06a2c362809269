/**
 * What connect() checks before the first API call, so that a setup mistake is named plainly and
 * fast instead of surfacing as the SDK's generic message or as retries that end in "fetch failed":
 * a profile that does not exist (the ones that do are listed), a host without credentials (what was
 * looked for, and where), and a host nothing answers on (one TCP connect, at most 2 s).
 */
import net from 'node:net';
import { UserError } from '../core/errors.js';
import { databricksCfgPath, listProfiles } from '../core/databrickscfg.js';

export const REACH_TIMEOUT_MS = 2000;

const CREDENTIAL_HINT = 'set DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET), or pass --profile NAME of a profile with a token (see `brickyard up --write-profile`)';

/** A named profile (--profile, the target's, DATABRICKS_CONFIG_PROFILE) must exist in the config file. */
export function checkProfile(env: NodeJS.ProcessEnv, profile: string | undefined): void {
  if (profile === undefined || profile === '') return;
  const file = databricksCfgPath(env);
  const profiles = listProfiles(env);
  if (profiles?.includes(profile)) return;
  const have = profiles === undefined ? `${file} does not exist` : profiles.length === 0 ? `${file} has no profiles` : `profiles in ${file}: ${profiles.join(', ')}`;
  throw new UserError('BY_AUTH', `profile '${profile}' not found (${have})`, {
    hint: profiles !== undefined && profiles.length > 0 ? `pass one of them with --profile, or add [${profile}] to ${file}` : `add [${profile}] with host and token to ${file} (brickyard up --write-profile ${profile} does)`,
  });
}

export interface CredentialSources {
  env: NodeJS.ProcessEnv;
  profile: string | undefined;
  /** the target's workspace.host */
  targetHost: string | undefined;
  /** the host the SDK resolved, if any */
  host: string | undefined;
}

/** The SDK found no host or no credentials: say which, and everything that was looked at. */
export function missingCredentials(s: CredentialSources, cause: unknown): UserError {
  const file = databricksCfgPath(s.env);
  const profile = s.profile ?? 'DEFAULT';
  const profileNote = listProfiles(s.env) === undefined ? `${file} (does not exist)` : `profile [${profile}] of ${file}`;
  if (s.host === undefined || s.host === '') {
    return new UserError('BY_AUTH', `no Databricks workspace host: looked at DATABRICKS_HOST, the target's workspace.host and ${profileNote}`, {
      hint: 'set DATABRICKS_HOST and DATABRICKS_TOKEN, or pass --profile NAME (see `brickyard up --write-profile`)',
      cause,
    });
  }
  const from = s.env.DATABRICKS_HOST ? 'DATABRICKS_HOST' : s.targetHost !== undefined ? "the target's workspace.host" : `profile [${profile}]`;
  return new UserError('BY_AUTH', `no credentials for ${s.host} (host from ${from}): looked for DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET, and a token in ${profileNote}`, {
    hint: CREDENTIAL_HINT,
    cause,
  });
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
};

/** One TCP connect to the host's port; a refusal, unknown name or silence for 2 s is a clear error. */
export async function checkReachable(host: string, env: NodeJS.ProcessEnv): Promise<void> {
  // behind a proxy the host itself may be unreachable by design
  if (env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy) return;
  const url = new URL(host);
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const reason = await new Promise<string | undefined>((resolve) => {
    const socket = net.connect({ host: hostname, port });
    const done = (why: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no answer within ${REACH_TIMEOUT_MS / 1000} s`), REACH_TIMEOUT_MS);
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(REASONS[err.code ?? ''] ?? err.code ?? err.message));
  });
  if (reason === undefined) return;
  throw new UserError('BY_REMOTE', `cannot reach ${url.protocol}//${url.host} (${reason})`, {
    hint: 'check DATABRICKS_HOST or the profile\'s host; for a local workspace, is `brickyard up` running?',
  });
}
