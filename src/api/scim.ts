import type { iam } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { MAX_NAME_LENGTH, textUpTo } from './limits.js';

/** SCIM 2.0 under `/api/2.0/preview/scim/v2`: Me, Users, Groups, ServicePrincipals. */

/** The schema URNs resources, list answers, patch requests and errors carry. */
/** The workspace's admin group: its members may do everything. */
export const ADMINS_GROUP = 'admins';

export const SCIM_SCHEMAS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  userWorkspaceExt: 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  servicePrincipal: 'urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const satisfies {
  user: iam.UserSchema;
  userWorkspaceExt: iam.UserSchema;
  group: iam.GroupSchema;
  servicePrincipal: iam.ServicePrincipalSchema;
  listResponse: iam.ListResponseSchema;
  patchOp: iam.PatchSchema;
  error: string;
};

/** RFC 7644 §3.12 scimType values the 400 answers use. */
export type ScimType = 'invalidFilter' | 'invalidPath' | 'invalidValue' | 'invalidSyntax' | 'mutability' | 'uniqueness' | 'noTarget';

/** `{"schemas":[…Error],"detail":…,"status":"409"}`: what Databricks' SCIM endpoints answer on failure. */
export interface ScimErrorBody {
  schemas: [typeof SCIM_SCHEMAS.error];
  detail: string;
  status: string;
  scimType?: ScimType;
}

/** Entitlements a Databricks workspace knows; anything else is refused by name. */
export const KNOWN_ENTITLEMENTS = ['workspace-access', 'databricks-sql-access', 'allow-cluster-create', 'allow-instance-pool-create', 'workspace-consume'] as const;

/** Ids travel as strings in SCIM, but some clients send numbers. */
const idString = z.union([z.string(), z.number()]).transform((v) => String(v));

/** SCIM's multi-valued attribute element (emails, groups, members, entitlements, roles); fields as iam.ComplexValue. */
export const ComplexValue = z.object({
  value: idString.exactOptional(),
  display: z.string().exactOptional(),
  primary: z.boolean().exactOptional(),
  type: z.string().exactOptional(),
  $ref: z.string().exactOptional(),
});
export type ComplexValue = z.infer<typeof ComplexValue>;

export const PersonName = z.object({
  givenName: z.string().exactOptional(),
  familyName: z.string().exactOptional(),
});
export type PersonName = z.infer<typeof PersonName>;

const multi = z.array(ComplexValue).optional();
const optionalText = z.string().nullable().optional();
const nameText = textUpTo(MAX_NAME_LENGTH);

/** POST and PUT `/Users[/{id}]`. */
export const UserRequest = z.object({
  schemas: z.array(z.string()).optional(),
  userName: nameText.optional(),
  displayName: nameText.nullable().optional(),
  emails: multi,
  name: PersonName.nullable().optional(),
  active: z.boolean().optional(),
  groups: multi,
  entitlements: multi,
  roles: multi,
  externalId: optionalText,
});
export type UserRequest = z.infer<typeof UserRequest>;

/** POST and PUT `/Groups[/{id}]`. */
export const GroupRequest = z.object({
  schemas: z.array(z.string()).optional(),
  displayName: nameText.optional(),
  members: multi,
  groups: multi,
  entitlements: multi,
  roles: multi,
  externalId: optionalText,
});
export type GroupRequest = z.infer<typeof GroupRequest>;

/** POST and PUT `/ServicePrincipals[/{id}]`. */
export const ServicePrincipalRequest = z.object({
  schemas: z.array(z.string()).optional(),
  applicationId: nameText.optional(),
  displayName: nameText.nullable().optional(),
  active: z.boolean().optional(),
  groups: multi,
  entitlements: multi,
  roles: multi,
  externalId: optionalText,
});
export type ServicePrincipalRequest = z.infer<typeof ServicePrincipalRequest>;

export const PatchOperation = z.object({
  op: z.string().transform((v) => v.toLowerCase()).pipe(z.enum(['add', 'remove', 'replace'] satisfies iam.PatchOp[])),
  path: z.string().optional(),
  value: z.unknown().optional(),
});
export type PatchOperation = z.infer<typeof PatchOperation>;

/** PATCH on any resource. */
export const PatchRequest = z.object({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(PatchOperation),
});

/** GET of one resource (and `/Me`): which attributes to answer. */
export const GetRequest = z.object({
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
});

/** GET of a resource list: filter, projection, sort and paging. */
export const ListRequest = GetRequest.extend({
  filter: z.string().optional(),
  startIndex: z.coerce.number().int().optional(),
  count: z.coerce.number().int().min(0).optional(),
  sortBy: z.string().optional(),
  sortOrder: z.enum(['ascending', 'descending']).optional(),
});
export type ListRequest = z.infer<typeof ListRequest>;

/** One resource as the API answers it. */
export type ScimUser = iam.User;
export type ScimResource = iam.User | iam.Group | iam.ServicePrincipal;

/** A page of resources; `Resources` may be empty, never absent (the SDKs stop paging on an empty page). */
export interface ScimListResponse<R extends ScimResource = ScimResource> {
  schemas: [typeof SCIM_SCHEMAS.listResponse];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: R[];
}
