import { bigint, customType, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { AclPermission } from '../../../api/secrets.js';
import type { Migration } from '../../db/migrate.js';

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
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

export const secretAcls = pgTable(
  'secret_acls',
  {
    scope: text('scope').notNull(),
    /** A user name, service principal application id or group name. */
    principal: text('principal').notNull(),
    permission: text('permission').notNull().$type<AclPermission>(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.principal] })],
);

export const secretsMigrations: Migration[] = [
  {
    id: 'secrets/001-scopes-secrets-acls',
    sql: `
CREATE TABLE secret_scopes (
  name text PRIMARY KEY,
  backend_type text NOT NULL,
  creator_user_name text NOT NULL,
  created_time bigint NOT NULL
);
CREATE TABLE secrets (
  scope text NOT NULL REFERENCES secret_scopes(name) ON DELETE CASCADE,
  key text NOT NULL,
  value bytea NOT NULL,
  last_updated_timestamp bigint NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE TABLE secret_acls (
  scope text NOT NULL REFERENCES secret_scopes(name) ON DELETE CASCADE,
  principal text NOT NULL,
  permission text NOT NULL,
  PRIMARY KEY (scope, principal)
)`,
  },
];
