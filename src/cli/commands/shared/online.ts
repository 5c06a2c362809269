/** Connecting for a project: load offline (fail fast), connect, reload with the current user. */
import type { Remote } from '../../../client/connect.js';
import { projectNeedsUser } from '../../../deploy/project-plan.js';
import type { ResolvedProject } from '../../../project/index.js';
import type { CliIO } from '../../command.js';
import type { ProjectOptionValues } from './options.js';
import { connectFor } from './connect-for.js';
import { loadForCommand, requireValid, type LoadedProject } from './project.js';

export interface OnlineProject {
  remote: Remote;
  project: ResolvedProject;
  loaded: LoadedProject;
}

/** `beforeConnect` checks the offline project first (e.g. deploy's branch guard): no call is made when it throws. */
export async function openProject(io: CliIO, options: ProjectOptionValues, json: boolean, beforeConnect?: (project: ResolvedProject) => void): Promise<OnlineProject> {
  const offline = loadForCommand(io, options);
  const first = requireValid(io, offline, json);
  beforeConnect?.(first);
  const remote = await connectFor(io, options, first.target);
  // nothing in the project depends on who deploys it: no SCIM Me call
  if (!projectNeedsUser(first)) return { remote, project: first, loaded: offline };
  const user = await remote.currentUserName();
  const loaded = loadForCommand(io, options, { currentUser: user, checkFiles: false });
  const project = requireValid(io, { ...loaded, diagnostics: loaded.diagnostics.filter((d) => d.severity === 'error') }, json);
  return { remote, project, loaded };
}
