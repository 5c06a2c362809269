/**
 * The `--json` outputs of the other project and workspace commands (validate, lint, summary, run,
 * pull, sync, init, datasets get/rm) and the error object every command prints with --json.
 * `datasets add|list|status|sync --json` print the datasets API's own answers (DatasetInfo,
 * ListDatasetsResponse, DatasetSyncStatus in datasets.ts) unchanged, so they have no shape here.
 */
import { z } from 'zod';
import { cliErrorExitCodes } from '../core/error-codes.js';
import { WRITE_STATUSES } from '../deploy/pull.js';
import { RUN_ENDINGS, type TaskOutcome } from '../deploy/run-monitor.js';
import type { LintFinding } from '../lint/notebooks.js';
import { RULE_NAMES } from '../lint/rules.js';
import { DiagnosticCode, SEVERITIES, type Diagnostic } from '../project/diagnostics.js';
import { LINT_SEVERITIES } from '../project/schema-lint.js';
import { SYNC_FAILURE_ACTIONS, SYNC_KINDS } from '../sync/types.js';
import { FieldChangeJson, type SameShape } from './cli-deploy-output.js';
import { UPLOAD_FORMATS } from './workspace.js';

/** What any command prints on stdout with --json when it fails (the exit code says which failure). */
export const ErrorOutput = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({ code: z.enum(Object.keys(cliErrorExitCodes) as [keyof typeof cliErrorExitCodes]), message: z.string(), hint: z.string().optional() }),
});
export type ErrorOutput = z.infer<typeof ErrorOutput>;

export const DiagnosticJson = z.strictObject({
  severity: z.enum(SEVERITIES),
  code: z.enum(DiagnosticCode),
  message: z.string(),
  file: z.string(),
  line: z.number().int(),
  col: z.number().int(),
  path: z.string(),
  hint: z.string(),
});

/** `brickyard validate --json` (one entry in `targets` per --config-for branch) */
export const ValidateOutput = z.strictObject({
  ok: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  diagnostics: z.array(DiagnosticJson),
  jobs: z.array(z.strictObject({ key: z.string(), name: z.string(), target: z.string(), source: z.string() })),
  targets: z.array(z.strictObject({ name: z.string(), reason: z.string(), files_root: z.string(), files_reason: z.string().optional() })),
});
export type ValidateOutput = z.infer<typeof ValidateOutput>;

/** `brickyard lint --json` */
export const LintFindingJson = z.strictObject({
  rule: z.enum(RULE_NAMES),
  severity: z.enum(LINT_SEVERITIES).exclude(['off']),
  file: z.string(),
  line: z.number().int(),
  col: z.number().int(),
  message: z.string(),
  hint: z.string().optional(),
});
export const LintOutput = z.strictObject({ ok: z.boolean(), errors: z.number().int(), warnings: z.number().int(), findings: z.array(LintFindingJson) });
export type LintOutput = z.infer<typeof LintOutput>;

/** `brickyard summary --json`: `job_id`/`url` only for jobs that are deployed */
export const SummaryOutput = z.strictObject({
  ok: z.literal(true),
  name: z.string(),
  target: z.string(),
  host: z.string(),
  owner: z.string(),
  root_path: z.string(),
  files_root: z.string(),
  jobs: z.array(z.strictObject({ key: z.string(), name: z.string(), job_id: z.number().int().optional(), url: z.string().optional() })),
});
export type SummaryOutput = z.infer<typeof SummaryOutput>;

export const TaskOutcomeJson = z.strictObject({
  taskKey: z.string(),
  attempt: z.number().int(),
  runId: z.number().int(),
  state: z.string(),
  durationMs: z.number().optional(),
  result: z.string().optional(),
  error: z.string().optional(),
});

/** `brickyard run --no-wait --json` */
export const RunStartedOutput = z.strictObject({ ok: z.literal(true), job_id: z.number().int(), run_id: z.number().int(), url: z.string() });
/** `brickyard run --json` once the run ended, timed out, or was left running (`detached`) after Ctrl-C */
export const RunFollowedOutput = z.strictObject({
  ok: z.boolean(),
  job_id: z.number().int(),
  url: z.string(),
  detached: z.literal(true).optional(),
  runId: z.number().int(),
  ended: z.enum(RUN_ENDINGS),
  lifeCycleState: z.string(),
  resultState: z.string().optional(),
  stateMessage: z.string().optional(),
  durationMs: z.number().optional(),
  tasks: z.array(TaskOutcomeJson),
});
export const RunOutput = z.union([RunStartedOutput, RunFollowedOutput]);
export type RunOutput = z.infer<typeof RunOutput>;

/** `brickyard pull --json`: `changes` (local → workspace) when the project defines the job */
export const PullOutput = z.strictObject({
  ok: z.boolean(),
  job_id: z.number().int(),
  name: z.string(),
  resource_key: z.string().optional(),
  changes: z.array(FieldChangeJson).optional(),
  files: z.array(z.strictObject({ path: z.string(), status: z.enum(WRITE_STATUSES), what: z.string(), written: z.boolean() })),
  warnings: z.array(z.string()),
});
export type PullOutput = z.infer<typeof PullOutput>;

const syncedObject = z.strictObject({ path: z.string(), remote_path: z.string(), kind: z.enum(SYNC_KINDS), format: z.enum(UPLOAD_FORMATS) });

/** `brickyard sync --json` (also with --dry-run: the objects are then those it would upload or delete) */
export const SyncOutput = z.strictObject({
  ok: z.boolean(),
  dry_run: z.boolean(),
  source: z.string(),
  dest: z.string(),
  manifest_path: z.string(),
  counts: z.strictObject({
    uploaded: z.number().int(),
    deleted: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    successful: z.number().int(),
    total_processed: z.number().int(),
  }),
  uploaded: z.array(syncedObject),
  deleted: z.array(syncedObject),
  removed_directories: z.array(z.string()),
  skipped: z.array(z.strictObject({ path: z.string(), reason: z.string() })),
  failures: z.array(z.strictObject({ action: z.enum(SYNC_FAILURE_ACTIONS), path: z.string().optional(), remote_path: z.string(), error: z.string() })),
  warnings: z.array(z.string()),
  manifest_written: z.boolean(),
  interrupted: z.boolean(),
  overwritten: z.array(syncedObject),
  kept: z.array(syncedObject),
  api_calls: z.strictObject({ total: z.number().int(), writes: z.number().int() }).optional(),
});
export type SyncOutput = z.infer<typeof SyncOutput>;

/** `brickyard init --json` */
export const InitOutput = z.strictObject({ ok: z.literal(true), dir: z.string(), template: z.string(), name: z.string(), created: z.array(z.string()), kept: z.array(z.string()) });
export type InitOutput = z.infer<typeof InitOutput>;

/** `brickyard datasets get --json` */
export const DatasetGetOutput = z.strictObject({ ok: z.literal(true), id: z.string(), file: z.string(), size_bytes: z.number().int(), row_count: z.number().int() });
export type DatasetGetOutput = z.infer<typeof DatasetGetOutput>;

/** `brickyard datasets rm --json` */
export const DatasetRmOutput = z.strictObject({ ok: z.literal(true), id: z.string(), dropped_tables: z.array(z.string()) });
export type DatasetRmOutput = z.infer<typeof DatasetRmOutput>;

// Compile-time: these schemas declare exactly the fields of the domain types they show.
const shapesMatch: [SameShape<z.infer<typeof DiagnosticJson>, Diagnostic>, SameShape<z.infer<typeof LintFindingJson>, LintFinding>, SameShape<z.infer<typeof TaskOutcomeJson>, TaskOutcome>] = [true, true, true];
void shapesMatch;
