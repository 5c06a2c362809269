/**
 * The closed sets of error codes: what the CLI reports (each with its process exit code) and what
 * the local workspace answers (each with its usual HTTP status). A new code is added here first.
 */

/** Stable process exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  /** a command ran but the outcome is negative (plan has changes, run failed) */
  failure: 1,
  /** bad usage or invalid configuration */
  usage: 2,
  /** authentication / permission problems */
  auth: 3,
  /** the remote answered with an error */
  remote: 4,
  /** a lock is held by someone else */
  locked: 5,
  /** interrupted by the user */
  interrupted: 130,
  /** an unexpected internal error (a bug) */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every code the CLI reports, with the exit code it implies. */
export const cliErrorExitCodes = {
  /** a flag, argument or value the command does not accept */
  BY_USAGE: ExitCode.usage,
  /** the project configuration has errors */
  BY_CONFIG: ExitCode.usage,
  /** no target (or --config-for branch) can be chosen */
  BY_TARGET: ExitCode.usage,
  /** `up` could not listen on the port asked for */
  BY_PORT_IN_USE: ExitCode.usage,
  /** `up --write-profile` could not write ~/.databrickscfg */
  BY_PROFILE: ExitCode.usage,
  /** deploy from a git branch the target does not deploy from (git_branches, git.branch) */
  BY_WRONG_BRANCH: ExitCode.usage,
  /** a job reference names no job (a numeric id the workspace does not know exits 4) */
  BY_JOB_NOT_FOUND: ExitCode.usage,
  /** a project job that the target has not deployed yet */
  BY_JOB_NOT_DEPLOYED: ExitCode.usage,
  /** several jobs carry the name given */
  BY_JOB_AMBIGUOUS: ExitCode.usage,
  /** two configured jobs claim the same workspace job */
  BY_JOB_CONFLICT: ExitCode.usage,
  /** a ${resources.jobs.<key>.id} reference that never got an id */
  BY_UNRESOLVED_REFERENCE: ExitCode.usage,
  /** destroy refused by lifecycle.prevent_destroy */
  BY_PREVENT_DESTROY: ExitCode.usage,
  /** a UC or identity object the plan cannot converge: a referenced object missing, another project's object */
  BY_UC_CONFLICT: ExitCode.usage,
  /** pull cannot replace a ${…} reference with a literal */
  BY_PULL_INTERPOLATED: ExitCode.usage,
  /** pull cannot find where a field belongs in databricks.yml */
  BY_PULL_PLACE: ExitCode.usage,
  /** two local files would become the same workspace object */
  BY_SYNC_CONFLICT: ExitCode.usage,
  /** credentials missing or refused */
  BY_AUTH: ExitCode.auth,
  /** the workspace answered with an error */
  BY_REMOTE: ExitCode.remote,
  /** files failed to sync, so deploy stopped before touching jobs */
  BY_SYNC_FAILED: ExitCode.remote,
  /** another deploy holds the workspace deploy lock */
  BY_DEPLOY_LOCKED: ExitCode.locked,
  /** this deploy lost its lock lease while running */
  BY_DEPLOY_LOCK_LOST: ExitCode.locked,
  /** the state directory was made by an older Brickyard whose database layout cannot be upgraded */
  BY_OLD_STATE_DIR: ExitCode.usage,
  /** DATABASE_URL names a database an older Brickyard laid out */
  BY_OLD_DATABASE: ExitCode.usage,
  /** another `brickyard up` uses the state directory */
  BY_STATE_LOCKED: ExitCode.locked,
  /** stopped by Ctrl-C */
  BY_INTERRUPTED: ExitCode.interrupted,
  /** an unexpected error (a bug); reported for anything that is not a UserError */
  BY_INTERNAL: ExitCode.internal,
} as const satisfies Record<string, ExitCode>;
export type CliErrorCode = keyof typeof cliErrorExitCodes;
/** Codes a UserError may carry: BY_INTERNAL is reserved for errors that are not UserErrors. */
export type UserErrorCode = Exclude<CliErrorCode, 'BY_INTERNAL'>;

/**
 * Every Databricks `error_code` the local workspace answers, with the HTTP status it usually comes
 * with; an ApiError may still give another status where Databricks does (e.g. 409 for
 * RESOURCE_ALREADY_EXISTS in Unity Catalog, 413 for an oversized upload).
 */
export const apiErrorStatus = {
  INVALID_PARAMETER_VALUE: 400,
  MALFORMED_REQUEST: 400,
  INVALID_STATE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  DIRECTORY_NOT_EMPTY: 400,
  MAX_NOTEBOOK_SIZE_EXCEEDED: 400,
  /** DBFS: a put or add-block of more than 1 MB */
  MAX_BLOCK_SIZE_EXCEEDED: 400,
  /** DBFS: a read of more than 1 MB */
  MAX_READ_SIZE_EXCEEDED: 400,
  /** DBFS: a filesystem operation that cannot be done (a non-empty directory without recursive, a file in the way) */
  IO_ERROR: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  /** the Files API's spelling of RESOURCE_DOES_NOT_EXIST */
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  /** the Files API's spelling of RESOURCE_ALREADY_EXISTS */
  ALREADY_EXISTS: 409,
  /** a concurrent update lost the race (Unity Catalog tables) */
  ABORTED: 409,
  /** an update sent with a stale etag (access-control rule sets) */
  RESOURCE_CONFLICT: 409,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  /** the local workspace failed to start after accepting a request (Databricks' code for 503) */
  TEMPORARILY_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;
export type ApiErrorCode = keyof typeof apiErrorStatus;
