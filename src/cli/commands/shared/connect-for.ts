/** A connection for a command: its --profile, else the target's profile and host. Apart from online.ts so that commands without a project (datasets) do not load the project loader and planner. */
import { connect, type Remote } from '../../../client/connect.js';
import type { ResolvedProject } from '../../../project/index.js';
import type { CliIO } from '../../command.js';

export async function connectFor(io: CliIO, options: { readonly profile: string | undefined }, target?: ResolvedProject['target']): Promise<Remote> {
  return connect({ env: io.env, profile: options.profile ?? target?.profile, host: target?.host, interrupted: io.interrupted });
}
