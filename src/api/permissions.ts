/**
 * Permissions API (`/api/2.0/permissions/{object_type}/{object_id}`): request bodies and the
 * answers we build, typed against the official SDK's model. Jobs are the first object type.
 */
import type { jobs } from '@databricks/sdk-experimental';
import { z } from 'zod';

/** Job permission levels, weakest first; IS_OWNER carries everything CAN_MANAGE does. */
export const JOB_PERMISSION_LEVELS = ['CAN_VIEW', 'CAN_MANAGE_RUN', 'CAN_MANAGE', 'IS_OWNER'] as const satisfies readonly jobs.JobPermissionLevel[];
export type JobPermissionLevel = (typeof JOB_PERMISSION_LEVELS)[number];

/** What GET …/permissionLevels describes each level with. */
export const JOB_PERMISSION_DESCRIPTIONS: Record<JobPermissionLevel, string> = {
  CAN_VIEW: 'Can view the job and its runs',
  CAN_MANAGE_RUN: 'Can view the job, and trigger, cancel and repair its runs',
  CAN_MANAGE: 'Can edit, delete and run the job and change its permissions',
  IS_OWNER: 'Owns the job: everything CAN_MANAGE allows; the job runs as its owner unless run_as says otherwise',
};

const name = z.string({ error: 'expected a string' }).min(1, 'expected a non-empty name');

/** One entry of `access_control_list` in PUT/PATCH: exactly one of the three principal fields. */
export const JobAccessControlRequest = z
  .looseObject({
    user_name: name.optional(),
    group_name: name.optional(),
    service_principal_name: name.optional(),
    permission_level: z.enum(JOB_PERMISSION_LEVELS, { error: (iss) => `Invalid permission level ${JSON.stringify(iss.input)}: expected one of ${JOB_PERMISSION_LEVELS.join(', ')}` }),
  })
  .refine((e) => [e.user_name, e.group_name, e.service_principal_name].filter((v) => v !== undefined).length === 1, {
    error: 'each entry names exactly one of user_name, group_name, service_principal_name',
  });
export type JobAccessControlRequest = z.infer<typeof JobAccessControlRequest>;

/** PUT (replace) and PATCH (add) …/permissions/jobs/{job_id}; also jobs/create's and runs/submit's `access_control_list`. */
export const JobPermissionsRequest = z.looseObject({
  access_control_list: z.array(JobAccessControlRequest).optional(),
});

/** GET …/permissions/jobs/{job_id} and …/permissionLevels take nothing but the path. */
export const JobPermissionsPathRequest = z.looseObject({});

export function jobPermissionsResponse(objectId: string, acl: jobs.JobAccessControlResponse[]): jobs.JobPermissions {
  return { object_id: objectId, object_type: 'job', access_control_list: acl };
}

export function jobPermissionLevelsResponse(): jobs.GetJobPermissionLevelsResponse {
  return { permission_levels: JOB_PERMISSION_LEVELS.map((level) => ({ permission_level: level, description: JOB_PERMISSION_DESCRIPTIONS[level] })) };
}
