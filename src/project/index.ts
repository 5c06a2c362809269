/** Project configuration: databricks.yml / standalone JobSettings JSON → ResolvedProject + diagnostics. */
export { loadProject } from './load.js';
export { validateProject, loadAndValidate, MAX_CONCURRENT_RUNS, type ValidateOptions } from './validate.js';
export { currentGitBranch, detectGitBranch, detectProjectName, findGitDir, type GitBranchInfo, type GitBranchSource, type ProjectNameInfo } from './git.js';
export {
  DiagnosticCode,
  formatDiagnostic,
  formatPath,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
  type PathSegment,
  type Severity,
  type SourcePos,
} from './diagnostics.js';
export { matchBranch, selectTarget, type TargetChoice } from './target.js';
export { shortUserName } from './interpolate.js';
export { devPrefix, NOTEBOOK_EXTENSIONS } from './jobs.js';
export { BUNDLE_FILE_NAMES, findBundleFile } from './files.js';
export * from './schema.js';
export * from '../api/job-settings.js';
export * from './schema-bundle.js';
export * from './schema-lint.js';
export type {
  LoadOptions,
  LoadResult,
  LocalFileRef,
  RejectedJob,
  ResolvedJob,
  ResolvedProject,
  ResolvedTarget,
} from './types.js';
