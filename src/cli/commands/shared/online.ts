/** Connecting for a project: load offline (fail fast), connect, reload with the current user. */
import { connect, type Remote } from '../../../client/connect.js';
import { projectNeedsUser } from '../../../deploy/project-plan.js';
import type { ResolvedProject } from '../../../project/index.js';
import { stringOpt, type CliIO, type ParsedValues } from '../../command.js';
import { loadForCommand, requireValid, type LoadedProject } from './project.js';

export interface OnlineProject {
  remote: Remote;
  project: ResolvedProject;
  loaded: LoadedProject;
}

export async function connectFor(io: CliIO, values: ParsedValues, target?: ResolvedProject['target']): Promise<Remote> {
  return connect({ env: io.env, profile: stringOpt(values, 'profile') ?? target?.profile, host: target?.host });
}

export async function openProject(io: CliIO, values: ParsedValues, json: boolean): Promise<OnlineProject> {
  const offline = loadForCommand(io, values);
  const first = requireValid(io, offline, json);
  const remote = await connectFor(io, values, first.target);
  // nothing in the project depends on who deploys it: no SCIM Me call
  if (!projectNeedsUser(first)) return { remote, project: first, loaded: offline };
  const user = await remote.currentUserName();
  const loaded = loadForCommand(io, values, { currentUser: user, checkFiles: false });
  const project = requireValid(io, { ...loaded, diagnostics: loaded.diagnostics.filter((d) => d.severity === 'error') }, json);
  return { remote, project, loaded };
}
