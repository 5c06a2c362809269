import type { workspace } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { OptionalText, RequiredText, required } from './common.js';

/** Secrets API 2.0 (`/api/2.0/secrets/*`): scopes, secrets and scope ACLs. */

export const ACL_PERMISSIONS = ['READ', 'WRITE', 'MANAGE'] as const satisfies readonly workspace.AclPermission[];
export type AclPermission = (typeof ACL_PERMISSIONS)[number];

/** Databricks' limit on one secret value. */
export const MAX_SECRET_BYTES = 128 * 1024;

const SCOPE_NAME = /^[\w.@-]{1,128}$/;
const SECRET_KEY = /^[\w.-]{1,128}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const Scope = required(
  z.string({ error: 'expected a string' }).regex(SCOPE_NAME, {
    error: (iss) => `'${String(iss.input)}' must consist of alphanumeric characters, dashes, underscores, '@' and periods, and may not exceed 128 characters`,
  }),
);

const Key = required(
  z.string({ error: 'expected a string' }).regex(SECRET_KEY, {
    error: (iss) => `'${String(iss.input)}' must consist of alphanumeric characters, dashes, underscores and periods, and may not exceed 128 characters`,
  }),
);

const Permission = required(
  z.enum(ACL_PERMISSIONS, { error: (iss) => `'${String(iss.input)}' (expected one of ${ACL_PERMISSIONS.join(', ')})` }),
);

export const CreateScopeRequest = z.object({
  scope: Scope,
  scope_backend_type: OptionalText,
  backend_azure_keyvault: z.unknown().optional(),
  initial_manage_principal: OptionalText,
});

/** scopes/delete, list, acls/list. */
export const ScopeRequest = z.object({ scope: Scope });

/** get, delete. */
export const SecretRequest = z.object({ scope: Scope, key: Key });

/** put: exactly one of `string_value` (text) and `bytes_value` (base64). */
export const PutSecretRequest = z
  .object({
    scope: Scope,
    key: Key,
    string_value: OptionalText,
    bytes_value: z.preprocess(
      (v) => (v === null ? undefined : v),
      z.string({ error: 'expected a string' }).regex(BASE64, 'expected base64-encoded bytes').optional(),
    ),
  })
  .superRefine((req, ctx) => {
    if ((req.string_value === undefined) === (req.bytes_value === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Exactly one of string_value and bytes_value must be specified' });
    }
  });

export const PutAclRequest = z.object({ scope: Scope, principal: RequiredText, permission: Permission });

/** acls/get, acls/delete. */
export const AclRequest = z.object({ scope: Scope, principal: RequiredText });

export type ListScopesResponse = workspace.ListScopesResponse;
export type ListSecretsResponse = workspace.ListSecretsResponse;
export type GetSecretResponse = workspace.GetSecretResponse;
export type ListAclsResponse = workspace.ListAclsResponse;
export type AclItem = workspace.AclItem;
