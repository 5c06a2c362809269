/**
 * Permissions API (`/api/2.0/permissions/{object_type}/{object_id}`): request bodies and the
 * answers we build, typed against the official SDK's model. Jobs are the first object type.
 */
import type { jobs, workspace } from '@databricks/sdk-experimental';
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

/** GET …/permissions/{type}/{id} and …/permissionLevels take nothing but the path. */
export const PermissionsPathRequest = z.looseObject({});

export function jobPermissionsResponse(objectId: string, acl: jobs.JobAccessControlResponse[]): jobs.JobPermissions {
  return { object_id: objectId, object_type: 'job', access_control_list: acl };
}

/**
 * Brickyard's own `GET /api/2.0/brickyard/permissions/jobs/{job_id}/mine`: what the caller may do
 * with the job. Databricks shows a job's ACL only to its managers, so the web UI asks this to offer
 * a viewer or runner exactly the actions the server will accept.
 */
export const JOB_ACTIONS = ['view', 'manage_run', 'manage', 'delete', 'permissions'] as const;
export type JobActionName = (typeof JOB_ACTIONS)[number];
export interface MyJobPermissionsResponse {
  object_id: string;
  allowed: Record<JobActionName, boolean>;
}

export function jobPermissionLevelsResponse(): jobs.GetJobPermissionLevelsResponse {
  return { permission_levels: JOB_PERMISSION_LEVELS.map((level) => ({ permission_level: level, description: JOB_PERMISSION_DESCRIPTIONS[level] })) };
}

/** Workspace object (directory, notebook, file) permission levels, weakest first. */
/** The workspace object kinds of the Permissions API, as its paths name them (`/api/2.0/permissions/<kind>/<id>`). */
export const WORKSPACE_OBJECT_TYPES = ['directories', 'notebooks', 'files'] as const;
export type WorkspaceObjectKind = (typeof WORKSPACE_OBJECT_TYPES)[number];

export const WORKSPACE_PERMISSION_LEVELS = ['CAN_READ', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'] as const satisfies readonly workspace.WorkspaceObjectPermissionLevel[];
export type WorkspacePermissionLevel = (typeof WORKSPACE_PERMISSION_LEVELS)[number];

export const WORKSPACE_PERMISSION_DESCRIPTIONS: Record<WorkspacePermissionLevel, string> = {
  CAN_READ: 'Can view the object (and, for a folder, what is in it)',
  CAN_RUN: 'Can read the object and run it',
  CAN_EDIT: 'Can change the object (and, for a folder, add objects to it)',
  CAN_MANAGE: 'Can edit, delete and move the object and change its permissions',
};

/** One entry of a workspace object's `access_control_list`. */
export const WorkspaceAccessControlRequest = z
  .looseObject({
    user_name: name.optional(),
    group_name: name.optional(),
    service_principal_name: name.optional(),
    permission_level: z.enum(WORKSPACE_PERMISSION_LEVELS, { error: (iss) => `Invalid permission level ${JSON.stringify(iss.input)}: expected one of ${WORKSPACE_PERMISSION_LEVELS.join(', ')}` }),
  })
  .refine((e) => [e.user_name, e.group_name, e.service_principal_name].filter((v) => v !== undefined).length === 1, {
    error: 'each entry names exactly one of user_name, group_name, service_principal_name',
  });
export type WorkspaceAccessControlRequest = z.infer<typeof WorkspaceAccessControlRequest>;

/** PUT/PATCH …/permissions/{directories|notebooks|files}/{id}. */
export const WorkspacePermissionsRequest = z.looseObject({
  access_control_list: z.array(WorkspaceAccessControlRequest).optional(),
});

export function workspacePermissionLevelsResponse(): workspace.GetWorkspaceObjectPermissionLevelsResponse {
  return { permission_levels: WORKSPACE_PERMISSION_LEVELS.map((level) => ({ permission_level: level, description: WORKSPACE_PERMISSION_DESCRIPTIONS[level] })) };
}

/** PUT/PATCH …/permissions/repos/{repo_id}: a repo's ACL is its folder's, so the entries are a workspace object's. */
export const RepoPermissionsRequest = WorkspacePermissionsRequest;

/** A repo takes the workspace object levels (the SDK's RepoPermissionLevel is the same four). */
export function repoPermissionLevelsResponse(): workspace.GetRepoPermissionLevelsResponse {
  return workspacePermissionLevelsResponse() satisfies workspace.GetRepoPermissionLevelsResponse;
}
