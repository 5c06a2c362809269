import { bigint, boolean, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { Migration } from '../../db/migrate.js';

/** Users, groups and service principals share one table; `kind` tells them apart. */
export const principals = pgTable('principals', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull().$type<'user' | 'group' | 'service_principal'>(),
  /** userName / group displayName / applicationId: unique per kind, case-insensitively. */
  name: text('name').notNull(),
  displayName: text('display_name'),
  externalId: text('external_id'),
  active: boolean('active').notNull().default(true),
  /** SCIM attributes we keep verbatim: emails, name, entitlements, roles. */
  attrs: jsonb('attrs').notNull().$type<Record<string, unknown>>().default({}),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    memberId: bigint('member_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] })],
);

export const tokens = pgTable('tokens', {
  tokenId: text('token_id').primaryKey(),
  principalId: bigint('principal_id', { mode: 'number' }).notNull(),
  /** sha256 of the token value; the value itself is never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  comment: text('comment'),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  /** -1 = never expires, as the Token API reports it. */
  expiryTime: bigint('expiry_time', { mode: 'number' }).notNull(),
});

export const identityMigrations: Migration[] = [
  {
    id: 'identity/001-principals',
    sql: `
CREATE TABLE principals (
  id bigint PRIMARY KEY,
  kind text NOT NULL,
  name text NOT NULL,
  display_name text,
  external_id text,
  active boolean NOT NULL DEFAULT true,
  attrs jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at bigint NOT NULL
);
CREATE UNIQUE INDEX principals_kind_name ON principals (kind, lower(name));
CREATE TABLE group_members (
  group_id bigint NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  member_id bigint NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);
CREATE TABLE tokens (
  token_id text PRIMARY KEY,
  principal_id bigint NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  comment text,
  created_at bigint NOT NULL,
  expiry_time bigint NOT NULL
)`,
  },
];
