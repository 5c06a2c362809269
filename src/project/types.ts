/** The result of loading a project: what deploy/plan/run consume. */
import type { Diagnostic, SourcePos } from './diagnostics.js';
import type { ProjectJobSettings as JobSettings } from './schema.js';
import type { TargetMode } from './schema-bundle.js';
import type { ResolvedUc } from './uc-types.js';

export interface LoadOptions {
  /** directory the command runs in; databricks.yml is searched here and in parent directories */
  cwd: string;
  /** standalone Jobs API JobSettings JSON files (`--config`); when given, databricks.yml is not read */
  configFiles?: string[];
  /** `--target` */
  target?: string;
  /** `--var name=value` */
  vars?: Record<string, string>;
  /** environment for BUNDLE_VAR_* and git branch overrides; defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** the git branch; undefined = detect (see git.ts), null = no branch */
  gitBranch?: string | null;
  /**
   * `--project`: the project name of standalone JSON configs (ownership tag `<name>/<target>` and
   * root path); default: the git origin's repository name, else the git top-level or cwd name
   */
  projectName?: string;
  /** the current workspace user when known (online); offline, `${workspace.current_user.*}` stays a placeholder */
  currentUser?: { userName: string };
}

export interface ResolvedTarget {
  name: string;
  /** null for standalone JSON configs and targets without `mode` */
  mode: TargetMode | null;
  /** why this target was chosen, for humans */
  reason: string;
  host?: string;
  profile?: string;
  /** workspace.root_path after interpolation (may contain `${workspace.current_user.userName}` offline) */
  rootPath: string;
  /** where project files are synced: workspace.file_path, default `<rootPath>/files` */
  filePath: string;
  /**
   * Set when the files root was read off the job settings (standalone JSON configs whose tasks use
   * absolute workspace paths matching local files): why, for humans. Such a root is shared with
   * whatever else lives there, so destroy removes only the files the sync manifest lists.
   */
  filesReason?: string;
  /**
   * The git branches (exact names or globs) this target deploys from: its `git_branches`, or for a
   * `mode: production` target the `git.branch` it names; deploy refuses any other branch.
   */
  deployBranches?: string[];
  /** with deployBranches: the git branch of the checkout (null: none detected) */
  gitBranch?: string | null;
}

export interface ResolvedJob {
  /** `resources.jobs.<key>`, or the JSON file's basename without extension */
  resourceKey: string;
  /** field path of the job inside its file: `resources.jobs.<key>`, '' for a JSON file */
  path: string;
  /** final settings: variables interpolated, relative paths rewritten, dev-mode prefix/pausing applied */
  settings: JobSettings;
  /** where the job is defined */
  source: SourcePos;
  /**
   * The located input the settings were parsed from (same shape as `settings` plus ignored unknown
   * fields). Internal: `validateProject` uses it to map field paths back to file:line:col.
   */
  raw: unknown;
}

/** A job whose settings failed the schema; kept so that validation can still check the rest of it. */
export interface RejectedJob {
  resourceKey: string;
  path: string;
  source: SourcePos;
  raw: unknown;
}

export interface LocalFileRef {
  /** absolute local path */
  localPath: string;
  /** workspace path the task now points at */
  remotePath: string;
  kind: 'notebook' | 'file';
  /** where the path is written */
  source: SourcePos;
  /** field path, e.g. `resources.jobs.train.tasks[0].notebook_task.notebook_path` */
  path: string;
  resourceKey: string;
  /**
   * Set when the configuration writes the absolute workspace path (standalone JSON configs): the
   * workspace directory the project root maps to. Pull keeps such paths as written.
   */
  workspaceRoot?: string;
}

export interface ResolvedProject {
  kind: 'bundle' | 'json-configs';
  /**
   * Resource keys declared by configuration files this run does not load: for plain `--config`
   * files (deployed one CI step at a time), the keys of the other JSON/YAML files in their
   * directories. Deploy prunes owned jobs that are not declared; these are declared, so kept.
   */
  declaredElsewhere: string[];
  bundleName: string;
  target: ResolvedTarget;
  /** jobs that passed the schema, in definition order */
  jobs: ResolvedJob[];
  rejectedJobs: RejectedJob[];
  sync: { include: string[]; exclude: string[] };
  localFileRefs: LocalFileRef[];
  /** absolute directory of databricks.yml (bundle) or the cwd (json-configs) */
  projectRoot: string;
  /** configuration files read, relative to projectRoot */
  files: string[];
  /** Unity Catalog and identity resources (databricks.yml only) */
  uc?: ResolvedUc;
}

export interface LoadResult {
  project: ResolvedProject;
  diagnostics: Diagnostic[];
}
