/**
 * The `--json` outputs of `brickyard plan`, `deploy` and `destroy`: what scripts and CI read on
 * stdout. Built from the planner's own constant lists and checked against its types below, so a
 * field the planner adds or renames fails the build here instead of drifting silently. Objects
 * are strict: tests parse the output with these schemas, and an undeclared field fails them.
 */
import { z } from 'zod';
import { DELETE_REASONS, JOB_ACTION_KINDS, UPDATE_REASONS, type JobAction } from '../deploy/planner.js';
import { FIELD_CHANGE_OPS, type FieldChange } from '../deploy/diff.js';
import { FILE_CHANGE_OPS, type FilesPlan, type FilesResult } from '../deploy/files.js';
import { KEEP_REASONS, PRUNED_RESOURCES, type PruneKept } from '../deploy/prune.js';
import type { DeployedJob } from '../deploy/deploy.js';
import type { DestroyPlan } from '../deploy/destroy.js';
import { GRANT_OPS, MEMBER_OPS, OBJECT_OPS, RECORD_OPS, UC_ACTION_OPS, UC_SECURABLE_TYPES, type UcAction, type UcKept, type UndeclaredGrant } from '../deploy/uc/model.js';
import { MEMBER_KINDS } from '../project/uc-principals.js';

/** API calls a command made: `{total, writes, by_endpoint: {"GET /api/2.2/jobs/list": 1, …}}`. */
export const CallsJson = z.strictObject({ total: z.number().int(), writes: z.number().int(), by_endpoint: z.record(z.string(), z.number().int()) });
export type CallsJson = z.infer<typeof CallsJson>;

/** One field of a job's settings that an update overwrites (remote → desired) or a pull changes. */
export const FieldChangeJson = z.strictObject({ op: z.enum(FIELD_CHANGE_OPS), path: z.string(), before: z.json().optional(), after: z.json().optional() });

const jobRef = { resourceKey: z.string(), name: z.string() };
export const JobActionJson = z.discriminatedUnion('kind', [
  z.strictObject({ ...jobRef, kind: z.literal(JOB_ACTION_KINDS[0]), after: z.array(z.string()) }),
  z.strictObject({
    ...jobRef,
    kind: z.literal(JOB_ACTION_KINDS[1]),
    jobId: z.number().int(),
    reason: z.enum(UPDATE_REASONS),
    changes: z.array(FieldChangeJson).optional(),
    drift: z.array(z.string()).optional(),
    after: z.array(z.string()),
  }),
  z.strictObject({ ...jobRef, kind: z.literal(JOB_ACTION_KINDS[2]), jobId: z.number().int() }),
  z.strictObject({ ...jobRef, kind: z.literal(JOB_ACTION_KINDS[3]), jobId: z.number().int(), reason: z.enum(DELETE_REASONS) }),
]);

/** An owned object no longer declared that stays (`--no-prune`, `lifecycle.prevent_destroy`). */
export const PruneKeptJson = z.strictObject({ resource: z.enum(PRUNED_RESOURCES), key: z.string(), name: z.string(), jobId: z.number().int().optional(), reason: z.enum(KEEP_REASONS) });

export const FilesPlanJson = z.strictObject({
  dest: z.string(),
  changes: z.array(z.strictObject({ op: z.enum(FILE_CHANGE_OPS), remotePath: z.string(), reason: z.string().optional() })),
  unchanged: z.number().int(),
  kept: z.array(z.string()).optional(),
});
export const FilesResultJson = z.strictObject({
  dest: z.string(),
  uploaded: z.number().int(),
  deleted: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  failures: z.array(z.string()),
  overwritten: z.array(z.string()).optional(),
  kept: z.array(z.string()).optional(),
});

const ucSecurableType = z.enum(UC_SECURABLE_TYPES);
const ucObjectType = z.enum([...MEMBER_KINDS, ...UC_SECURABLE_TYPES]);
const ucRef = { key: z.string(), name: z.string() };
export const UcActionJson = z.discriminatedUnion('op', [
  z.strictObject({ ...ucRef, op: z.enum(OBJECT_OPS), type: ucObjectType, id: z.string().optional(), changes: z.array(z.string()).optional(), body: z.record(z.string(), z.unknown()).optional(), why: z.string().optional() }),
  z.strictObject({ ...ucRef, op: z.enum(MEMBER_OPS), type: z.literal('group'), id: z.string().optional(), member: z.strictObject({ kind: z.enum(MEMBER_KINDS), name: z.string() }), memberId: z.string().optional() }),
  z.strictObject({ ...ucRef, op: z.enum(GRANT_OPS), type: ucSecurableType, principal: z.string(), privileges: z.array(z.string()) }),
  z.strictObject({ ...ucRef, op: z.enum(RECORD_OPS), type: ucSecurableType, properties: z.record(z.string(), z.string()) }),
]);
export type UcActionJson = z.infer<typeof UcActionJson>;

export const UcKeptJson = z.strictObject({ type: ucObjectType, key: z.string(), name: z.string(), reason: z.enum(KEEP_REASONS) });
export const UndeclaredGrantJson = z.strictObject({ securable: z.strictObject({ type: ucSecurableType, fullName: z.string() }), principal: z.string(), privileges: z.array(z.string()) });

/** The Unity Catalog part of `plan` and `destroy`: skipped actions are only counted. */
export const UcPlanJson = z.strictObject({
  counts: z.record(z.enum(UC_ACTION_OPS), z.number().int()),
  actions: z.array(UcActionJson),
  undeclared_grants: z.array(UndeclaredGrantJson),
  kept: z.array(UcKeptJson),
  notes: z.array(z.string()),
});
export type UcPlanJson = z.infer<typeof UcPlanJson>;

/** `brickyard plan --json` */
export const PlanOutput = z.strictObject({
  ok: z.literal(true),
  /** anything to create, update or delete (jobs, files, UC), drift included */
  changes: z.boolean(),
  target: z.string(),
  /** `<bundle>/<target>`, the brickyard-project tag value */
  owner: z.string(),
  counts: z.record(z.enum([...JOB_ACTION_KINDS, 'drift']), z.number().int()),
  jobs: z.array(JobActionJson),
  kept: z.array(PruneKeptJson),
  files: FilesPlanJson.optional(),
  uc: UcPlanJson.optional(),
  warnings: z.array(z.string()),
  calls: CallsJson,
});
export type PlanOutput = z.infer<typeof PlanOutput>;

export const DeployedJobJson = z.strictObject({
  resourceKey: z.string(),
  name: z.string(),
  action: z.enum(JOB_ACTION_KINDS),
  jobId: z.number().int().optional(),
  url: z.string().optional(),
  reason: z.enum([...UPDATE_REASONS, ...DELETE_REASONS]).optional(),
  changes: z.array(FieldChangeJson).optional(),
});

/** `brickyard deploy --json` */
export const DeployOutput = z.strictObject({
  ok: z.literal(true),
  owner: z.string(),
  /** whether anything was written */
  changed: z.boolean(),
  jobs: z.array(DeployedJobJson),
  kept: z.array(PruneKeptJson),
  files: FilesResultJson.optional(),
  locked: z.boolean(),
  uc: z.strictObject({ applied: z.array(UcActionJson), writes: z.number().int() }).optional(),
  target: z.string(),
  warnings: z.array(z.string()),
  calls: CallsJson,
});
export type DeployOutput = z.infer<typeof DeployOutput>;

/** `brickyard destroy --json` (without --yes it lists what it would delete: `destroyed: false`) */
export const DestroyOutput = z.strictObject({
  ok: z.literal(true),
  destroyed: z.boolean(),
  owner: z.string(),
  jobs: z.array(z.strictObject({ jobId: z.number().int(), name: z.string(), resourceKey: z.string() })),
  directories: z.array(z.string()),
  files: z.array(z.string()),
  kept_jobs: z.number().int(),
  uc: UcPlanJson.optional(),
});
export type DestroyOutput = z.infer<typeof DestroyOutput>;

// Compile-time: each schema declares exactly the fields of the planner type it shows (the commands'
// `satisfies` checks the other way round, that what they emit fits).
type Keys<T> = T extends unknown ? keyof T : never;
type SameKeys<A, B> = [Keys<A>] extends [Keys<B>] ? ([Keys<B>] extends [Keys<A>] ? true : false) : false;
export type SameShape<A, B> = SameKeys<A, B> extends true ? ([B] extends [A] ? true : false) : false;
const shapesMatch: [
  SameShape<z.infer<typeof JobActionJson>, JobAction>,
  SameShape<z.infer<typeof FieldChangeJson>, FieldChange>,
  SameShape<z.infer<typeof PruneKeptJson>, PruneKept>,
  SameShape<z.infer<typeof FilesPlanJson>, FilesPlan>,
  SameShape<z.infer<typeof FilesResultJson>, FilesResult>,
  SameShape<z.infer<typeof UcActionJson>, UcAction>,
  SameShape<z.infer<typeof UcKeptJson>, UcKept>,
  SameShape<z.infer<typeof UndeclaredGrantJson>, UndeclaredGrant>,
  SameShape<z.infer<typeof DeployedJobJson>, DeployedJob>,
  SameShape<z.infer<typeof DestroyOutput>['jobs'][number], DestroyPlan['jobs'][number]>,
] = [true, true, true, true, true, true, true, true, true, true];
void shapesMatch;
