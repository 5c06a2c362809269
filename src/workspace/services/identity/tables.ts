import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ComplexValue, PersonName } from '../../../api/scim.js';

/** The SCIM attributes kept verbatim in `principals.attrs`. */
export interface StoredAttrs {
  emails?: ComplexValue[];
  name?: PersonName;
  entitlements?: ComplexValue[];
  roles?: ComplexValue[];
}

/** Users, groups and service principals share one table; `kind` tells them apart. */
export const principals = pgTable(
  'principals',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull().$type<'user' | 'group' | 'service_principal'>(),
    /** userName / group displayName / applicationId: unique per kind, case-insensitively. */
    name: text('name').notNull(),
    displayName: text('display_name'),
    externalId: text('external_id'),
    active: boolean('active').notNull().default(true),
    attrs: jsonb('attrs').notNull().$type<StoredAttrs>().default({}),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('principals_kind_name').on(t.kind, sql`lower(${t.name})`)],
);

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    memberId: bigint('member_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'group_members_pkey', columns: [t.groupId, t.memberId] }),
    foreignKey({ name: 'group_members_group_id_fkey', columns: [t.groupId], foreignColumns: [principals.id] }).onDelete('cascade'),
    foreignKey({ name: 'group_members_member_id_fkey', columns: [t.memberId], foreignColumns: [principals.id] }).onDelete('cascade'),
    index('group_members_member').on(t.memberId),
  ],
);

export const tokens = pgTable(
  'tokens',
  {
    tokenId: text('token_id').primaryKey(),
    principalId: bigint('principal_id', { mode: 'number' }).notNull(),
    /** sha256 of the token value; the value itself is never stored. */
    tokenHash: text('token_hash').notNull().unique('tokens_token_hash_key'),
    comment: text('comment'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    /** -1 = never expires, as the Token API reports it. */
    expiryTime: bigint('expiry_time', { mode: 'number' }).notNull(),
    /**
     * Who created the token when it was not its owner (an admin's on-behalf-of token); null means
     * the owner did, or the creator was deleted since.
     */
    createdById: bigint('created_by_id', { mode: 'number' }),
  },
  (t) => [
    foreignKey({ name: 'tokens_principal_id_fkey', columns: [t.principalId], foreignColumns: [principals.id] }).onDelete('cascade'),
    foreignKey({ name: 'tokens_created_by_id_fkey', columns: [t.createdById], foreignColumns: [principals.id] }).onDelete('set null'),
  ],
);

/**
 * The ids this workspace answers with, generated at its first start and kept for good: one row.
 * Processes sharing a database read the same ids.
 */
export const workspaceIdentity = pgTable('workspace_identity', {
  singleton: text('singleton').primaryKey().default('workspace').$type<'workspace'>(),
  workspaceId: text('workspace_id').notNull(),
  accountId: text('account_id').notNull(),
  clusterId: text('cluster_id').notNull(),
  warehouseId: text('warehouse_id').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});
