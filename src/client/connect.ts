import { ApiError as SdkApiError, type WorkspaceClient } from '@databricks/sdk-experimental';
import { createWorkspaceClient } from './sdk.js';
import type { Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { checkProfile, checkReachable, missingCredentials } from './preflight.js';

export interface ConnectOptions {
  env: NodeJS.ProcessEnv;
  /** --profile, else the target's profile, else DATABRICKS_CONFIG_PROFILE/default resolution by the SDK. */
  profile?: string | undefined;
  /** An explicit host (target `workspace.host`); credentials still come from the SDK's unified auth. */
  host?: string | undefined;
  /** Ctrl-C (CliIO.interrupted): aborts the requests in flight when it resolves, see createWorkspaceClient. */
  interrupted?: Promise<void> | undefined;
  /** The clock retry waits run on; real time when absent. */
  clock?: Clock | undefined;
}

/** Counts requests per method+path, for `--json` summaries and the deploy benchmark. */
export class CallCounter {
  readonly calls: Array<{ method: string; path: string }> = [];
  get total(): number {
    return this.calls.length;
  }
  get writes(): number {
    return this.calls.filter((c) => c.method !== 'GET' && c.method !== 'HEAD').length;
  }
  reset(): void {
    this.calls.length = 0;
  }
}

export interface Remote {
  w: WorkspaceClient;
  host: string;
  calls: CallCounter;
  currentUserName(): Promise<string>;
}

/** A host as the SDK normalises it: scheme and authority, no trailing slash. */
function sameHost(host: string): string {
  const u = new URL(host.startsWith('http') ? host : `https://${host}`);
  return `${u.protocol}//${u.host}`;
}

/**
 * A WorkspaceClient from the official SDK's unified auth (env vars, ~/.databrickscfg profiles, PAT,
 * OAuth). We never read tokens ourselves: the SDK does.
 */
export async function connect(opts: ConnectOptions): Promise<Remote> {
  const config: Parameters<typeof createWorkspaceClient>[0] = { env: opts.env, retryTimeoutSeconds: 30 };
  if (opts.profile) config.profile = opts.profile;
  if (opts.host && !opts.profile) config.host = opts.host;
  if (opts.env.DATABRICKS_CONFIG_FILE) config.configFile = opts.env.DATABRICKS_CONFIG_FILE;
  const profile = opts.profile || opts.env.DATABRICKS_CONFIG_PROFILE || undefined;
  checkProfile(opts.env, profile);
  const w = createWorkspaceClient(config, { ...(opts.interrupted ? { interrupted: opts.interrupted } : {}), ...(opts.clock ? { clock: opts.clock } : {}) });
  const sources = { env: opts.env, profile, targetHost: opts.host };
  let host: string;
  try {
    await w.config.ensureResolved();
    // no host anywhere (env, profile, target) only shows here
    host = (await w.config.getHost()).toString().replace(/\/$/, '');
  } catch (err) {
    throw missingCredentials({ ...sources, host: undefined }, err);
  }
  // whatever the SDK resolved (env, profile) is a secret from here on, in every line we print
  for (const secret of [w.config.token, w.config.password, w.config.clientSecret]) if (secret) registerSecret(secret);
  if (opts.host && opts.profile && sameHost(opts.host) !== host) {
    throw new UserError('BY_CONFIG', `the target's workspace.host ${sameHost(opts.host)} differs from the host of profile ${opts.profile} (${host})`, {
      hint: 'use a profile for that host, or remove workspace.host from the target',
    });
  }
  await checkReachable(host, opts.env);
  try {
    // no credentials anywhere shows here, before any request (PAT: no network; OAuth: the token the first call needs anyway)
    await w.config.authenticate(new Headers());
  } catch (err) {
    if (err instanceof Error && err.message.includes('cannot configure default credentials')) throw missingCredentials({ ...sources, host }, err);
    throw new UserError('BY_AUTH', `cannot authenticate to ${host}: ${(err as Error).message}`, { hint: 'check the credentials of DATABRICKS_* or the profile' });
  }
  const calls = new CallCounter();
  const original = w.apiClient.request.bind(w.apiClient);
  (w.apiClient as { request: typeof original }).request = (options, context) => {
    calls.calls.push({ method: options.method, path: options.path });
    return original(options, context);
  };
  let userName: string | undefined;
  return {
    w,
    host,
    calls,
    async currentUserName() {
      if (!userName) userName = (await callRemote(() => w.currentUser.me())).userName ?? '';
      return userName;
    },
  };
}

/** Turns an SDK error into a UserError with a stable code and exit code. */
export function remoteError(err: unknown, what?: string): UserError {
  if (err instanceof UserError) return err;
  if (err instanceof SdkApiError) {
    const auth = err.statusCode === 401 || err.statusCode === 403;
    return new UserError(auth ? 'BY_AUTH' : 'BY_REMOTE', `${what ? what + ': ' : ''}${err.errorCode || err.statusCode}: ${err.message}`, {
      ...(auth ? { hint: 'check the token or profile; the workspace refused the credentials or the permission' } : {}),
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new UserError('BY_REMOTE', `${what ? what + ': ' : ''}${message}`);
}

export async function callRemote<T>(fn: () => Promise<T>, what?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw remoteError(err, what);
  }
}
