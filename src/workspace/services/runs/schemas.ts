import { z } from 'zod';
import { idSchema, paramMapSchema } from './model.js';

/** Request bodies of the runs endpoints (unknown fields are accepted and ignored). */

const legacyParams = {
  notebook_params: paramMapSchema.optional(),
  python_params: z.array(z.string()).optional(),
  python_named_params: paramMapSchema.optional(),
  jar_params: z.array(z.string()).optional(),
  sql_params: paramMapSchema.optional(),
};

export const runNowSchema = z.looseObject({
  job_id: idSchema,
  job_parameters: paramMapSchema.optional(),
  ...legacyParams,
  idempotency_token: z.string().max(64, 'idempotency_token must be at most 64 characters').optional(),
  only: z.array(z.string().min(1)).optional(),
  queue: z.looseObject({ enabled: z.boolean() }).optional(),
});
export type RunNowBody = z.infer<typeof runNowSchema>;

export const submitSchema = z.looseObject({
  run_name: z.string().optional(),
  tasks: z.array(z.record(z.string(), z.unknown())).optional(),
  idempotency_token: z.string().max(64, 'idempotency_token must be at most 64 characters').optional(),
  timeout_seconds: z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  run_as: z.looseObject({ user_name: z.string().optional(), service_principal_name: z.string().optional() }).optional(),
});

export const runIdBodySchema = z.looseObject({ run_id: idSchema });

export const cancelAllSchema = z.looseObject({
  job_id: idSchema.optional(),
  all_queued_runs: z.boolean().optional(),
});

export const repairSchema = z.looseObject({
  run_id: idSchema,
  rerun_tasks: z.array(z.string()).optional(),
  rerun_all_failed_tasks: z.boolean().optional(),
  rerun_dependent_tasks: z.boolean().optional(),
  latest_repair_id: idSchema.optional(),
  job_parameters: paramMapSchema.optional(),
  ...legacyParams,
});

export const RUN_TYPES = ['JOB_RUN', 'SUBMIT_RUN', 'WORKFLOW_RUN'] as const;
