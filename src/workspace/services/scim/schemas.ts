import { z } from 'zod';

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  userWorkspaceExt: 'urn:ietf:params:scim:schemas:extension:workspace:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  servicePrincipal: 'urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const;

/** Ids travel as strings in SCIM, but some clients send numbers. */
const idString = z.union([z.string(), z.number()]).transform((v) => String(v));

/** SCIM's multi-valued attribute element (emails, groups, members, entitlements, roles). */
export const complexValueSchema = z.object({
  value: idString.optional(),
  display: z.string().optional(),
  primary: z.boolean().optional(),
  type: z.string().optional(),
  $ref: z.string().optional(),
});
export type ComplexValue = z.infer<typeof complexValueSchema>;

export const nameSchema = z.object({
  givenName: z.string().optional(),
  familyName: z.string().optional(),
});
export type PersonName = z.infer<typeof nameSchema>;

const multi = z.array(complexValueSchema).optional();
const optionalText = z.string().nullable().optional();

export const userBodySchema = z.object({
  schemas: z.array(z.string()).optional(),
  userName: z.string().optional(),
  displayName: optionalText,
  emails: multi,
  name: nameSchema.nullable().optional(),
  active: z.boolean().optional(),
  groups: multi,
  entitlements: multi,
  roles: multi,
  externalId: optionalText,
});
export type UserBody = z.infer<typeof userBodySchema>;

export const groupBodySchema = z.object({
  schemas: z.array(z.string()).optional(),
  displayName: z.string().optional(),
  members: multi,
  groups: multi,
  entitlements: multi,
  roles: multi,
  externalId: optionalText,
});
export type GroupBody = z.infer<typeof groupBodySchema>;

export const servicePrincipalBodySchema = z.object({
  schemas: z.array(z.string()).optional(),
  applicationId: z.string().optional(),
  displayName: optionalText,
  active: z.boolean().optional(),
  groups: multi,
  entitlements: multi,
  roles: multi,
  externalId: optionalText,
});
export type ServicePrincipalBody = z.infer<typeof servicePrincipalBodySchema>;

export const patchOperationSchema = z.object({
  op: z.string().transform((v) => v.toLowerCase()).pipe(z.enum(['add', 'remove', 'replace'])),
  path: z.string().optional(),
  value: z.unknown().optional(),
});
export type PatchOperation = z.infer<typeof patchOperationSchema>;

export const patchBodySchema = z.object({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(patchOperationSchema),
});

/** List query parameters shared by Users, Groups and ServicePrincipals. */
export const listQuerySchema = z.object({
  filter: z.string().optional(),
  attributes: z.string().optional(),
  excludedAttributes: z.string().optional(),
  startIndex: z.coerce.number().int().optional(),
  count: z.coerce.number().int().min(0).optional(),
  sortBy: z.string().optional(),
  sortOrder: z.enum(['ascending', 'descending']).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Entitlements a Databricks workspace knows; anything else is refused by name. */
export const KNOWN_ENTITLEMENTS = ['workspace-access', 'databricks-sql-access', 'allow-cluster-create', 'allow-instance-pool-create', 'workspace-consume'] as const;
