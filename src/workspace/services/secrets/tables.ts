import { bigint, customType, foreignKey, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { AclPermission } from '../../../api/secrets.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

export const secretScopes = pgTable('secret_scopes', {
  name: text('name').primaryKey(),
  backendType: text('backend_type').notNull(),
  creatorUserName: text('creator_user_name').notNull(),
  createdTime: bigint('created_time', { mode: 'number' }).notNull(),
});

export const secrets = pgTable(
  'secrets',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** The value's bytes (string values as UTF-8). Never logged. */
    value: bytea('value').notNull(),
    lastUpdatedTimestamp: bigint('last_updated_timestamp', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'secrets_pkey', columns: [t.scope, t.key] }),
    foreignKey({ name: 'secrets_scope_fkey', columns: [t.scope], foreignColumns: [secretScopes.name] }).onDelete('cascade'),
  ],
);

export const secretAcls = pgTable(
  'secret_acls',
  {
    scope: text('scope').notNull(),
    /** A user name, service principal application id or group name. */
    principal: text('principal').notNull(),
    permission: text('permission').notNull().$type<AclPermission>(),
  },
  (t) => [
    primaryKey({ name: 'secret_acls_pkey', columns: [t.scope, t.principal] }),
    foreignKey({ name: 'secret_acls_scope_fkey', columns: [t.scope], foreignColumns: [secretScopes.name] }).onDelete('cascade'),
  ],
);
