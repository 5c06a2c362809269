/**
 * The job shapes of a project file. JobSettings and its parts are the REST contract's
 * (src/api/job-settings.ts); databricks.yml adds per-resource `permissions` and `lifecycle`.
 */
import { z } from 'zod';
import { BoolSchema, knownObject, projectJobFields, type ProjectJobSettingsSchema } from '../api/job-settings.js';

export const PermissionSchema = knownObject({
  level: z.string(),
  user_name: z.string().optional(),
  group_name: z.string().optional(),
  service_principal_name: z.string().optional(),
});

export const LifecycleSchema = knownObject({ prevent_destroy: BoolSchema.optional() });

/**
 * A job in databricks.yml (`resources.jobs.<key>`): JobSettings as bundles accept it — `format` and
 * `edit_mode` are managed by the deployment tool there — plus per-resource `permissions`.
 */
export const BundleJobSchema = knownObject({
  ...projectJobFields,
  permissions: z.array(PermissionSchema).optional(),
  /** a deployment setting, not a Jobs API field: deploy keeps it out of the job settings, destroy honours it */
  lifecycle: LifecycleSchema.optional(),
});

export type Permission = z.infer<typeof PermissionSchema>;
export type BundleJob = z.infer<typeof BundleJobSchema>;
/** Final job settings; bundle jobs may carry `permissions`, standalone files may carry `format`/`edit_mode`. */
export type ProjectJobSettings = z.infer<typeof ProjectJobSettingsSchema> & { permissions?: Permission[]; lifecycle?: z.infer<typeof LifecycleSchema> };
