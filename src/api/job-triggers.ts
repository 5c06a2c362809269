import type { jobs } from '@databricks/sdk-experimental';
import { z } from 'zod';

/**
 * The job triggers the local workspace honours (`settings.trigger.file_arrival` on a volume path,
 * `settings.trigger.table_update` on Unity Catalog tables); every other trigger is refused at
 * create/update by name.
 */

/** Databricks' floor for the two timing fields of file-arrival and table-update triggers. */
export const MIN_TRIGGER_SECONDS = 60;

const seconds = z
  .number({ error: 'expected a number of seconds' })
  .int()
  .refine((v) => v === 0 || v >= MIN_TRIGGER_SECONDS, { message: `must be 0 or at least ${MIN_TRIGGER_SECONDS} seconds` })
  .optional();

export const FileArrivalTriggerSchema = z.strictObject({
  url: z.string().min(1).max(4096),
  min_time_between_triggers_seconds: seconds,
  wait_after_last_change_seconds: seconds,
});
export type FileArrivalTrigger = z.infer<typeof FileArrivalTriggerSchema> & jobs.FileArrivalTriggerConfiguration;

export const TABLE_UPDATE_CONDITIONS = ['ANY_UPDATED', 'ALL_UPDATED'] as const satisfies readonly jobs.Condition[];
/** Databricks takes at most this many tables in one table_update trigger. */
export const MAX_TRIGGER_TABLES = 10;

export const TableUpdateTriggerSchema = z.strictObject({
  table_names: z.array(z.string().min(1).max(1024)).min(1).max(MAX_TRIGGER_TABLES),
  condition: z.enum(TABLE_UPDATE_CONDITIONS).optional(),
  min_time_between_triggers_seconds: seconds,
  wait_after_last_change_seconds: seconds,
});
export type TableUpdateTrigger = z.infer<typeof TableUpdateTriggerSchema> & jobs.TableUpdateTriggerConfiguration;
