import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/** Who a direct grant names, as the Permissions API spells it (user_name, group_name, service_principal_name). */
export type GrantPrincipalKind = 'user' | 'group' | 'service_principal';

/**
 * Direct grants of the Permissions API (`/api/2.0/permissions/{object_type}/{id}`): one level per
 * principal and object. The owner (IS_OWNER) is a grant like the others; inherited grants (the
 * admins group) are not stored, they are shown by the API.
 */
export const objectPermissions = pgTable(
  'object_permissions',
  {
    /** The path segment of the Permissions API: `jobs`, later `directories`, `notebooks`, `files`. */
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    principalKind: text('principal_kind').notNull().$type<GrantPrincipalKind>(),
    /** The principal's canonical name (userName, group displayName, applicationId), as stored in identity. */
    principalName: text('principal_name').notNull(),
    level: text('level').notNull(),
  },
  (t) => [primaryKey({ columns: [t.objectType, t.objectId, t.principalKind, t.principalName] })],
);
