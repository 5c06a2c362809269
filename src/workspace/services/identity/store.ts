import { and, eq, sql } from 'drizzle-orm';
import { ADMINS_GROUP } from '../../../api/scim.js';
import { randomHex, sha256Hex } from '../../../core/hash.js';
import { registerSecret } from '../../../core/redact.js';
import type { WorkspaceContext } from '../../context.js';
import { nextId } from '../../db/ids.js';
import type { Principal } from './principal.js';
import { groupMembers, principals, tokens, type StoredAttrs } from './tables.js';

export { ADMINS_GROUP };
export const USERS_GROUP = 'users';

export interface MintedToken {
  tokenValue: string;
  tokenId: string;
  creationTime: number;
  expiryTime: number;
  comment: string | undefined;
}

/** Called after a user is created so other services can react (e.g. a home folder). */
export type UserCreatedHook = (user: { id: number; userName: string }) => Promise<void>;

declare module '../../wiring.js' {
  interface WorkspaceEventArgs {
    userCreated: [user: { id: number; userName: string }];
  }
}

export function onUserCreated(ctx: WorkspaceContext, hook: UserCreatedHook): void {
  ctx.services.events.userCreated.subscribe(hook);
}

export async function fireUserCreated(ctx: WorkspaceContext, user: { id: number; userName: string }): Promise<void> {
  for (const hook of ctx.services.events.userCreated.list()) await hook(user);
}

export async function findPrincipalByName(ctx: WorkspaceContext, kind: 'user' | 'group' | 'service_principal', name: string) {
  const rows = await ctx.database.db
    .select()
    .from(principals)
    .where(and(eq(principals.kind, kind), sql`lower(${principals.name}) = lower(${name})`))
    .limit(1);
  return rows[0];
}

export async function createPrincipal(
  ctx: WorkspaceContext,
  p: { kind: 'user' | 'group' | 'service_principal'; name: string; displayName?: string | null; externalId?: string | null; active?: boolean; attrs?: StoredAttrs },
) {
  const id = await nextId(ctx.database.db);
  const row = {
    id,
    kind: p.kind,
    name: p.name,
    displayName: p.displayName ?? null,
    externalId: p.externalId ?? null,
    active: p.active ?? true,
    attrs: p.attrs ?? {},
    createdAt: ctx.clock.now(),
  };
  await ctx.database.db.insert(principals).values(row);
  return row;
}

export async function addMember(ctx: WorkspaceContext, groupId: number, memberId: number): Promise<void> {
  await ctx.database.db.insert(groupMembers).values({ groupId, memberId }).onConflictDoNothing();
}

/** Seeds the admin user and the `admins`/`users` groups; idempotent. */
export async function seedIdentity(ctx: WorkspaceContext): Promise<{ adminId: number; created: boolean }> {
  const adminsGroup = (await findPrincipalByName(ctx, 'group', ADMINS_GROUP)) ?? (await createPrincipal(ctx, { kind: 'group', name: ADMINS_GROUP, displayName: ADMINS_GROUP }));
  const usersGroup = (await findPrincipalByName(ctx, 'group', USERS_GROUP)) ?? (await createPrincipal(ctx, { kind: 'group', name: USERS_GROUP, displayName: USERS_GROUP }));
  const userName = ctx.config.adminUserName;
  let admin = await findPrincipalByName(ctx, 'user', userName);
  const created = !admin;
  if (!admin) {
    admin = await createPrincipal(ctx, {
      kind: 'user',
      name: userName,
      displayName: userName.split('@')[0] ?? userName,
      attrs: { emails: [{ value: userName, type: 'work', primary: true }] },
    });
  }
  await addMember(ctx, adminsGroup.id, admin.id);
  await addMember(ctx, usersGroup.id, admin.id);
  if (created) await fireUserCreated(ctx, { id: admin.id, userName });
  return { adminId: admin.id, created };
}

/**
 * Mints a personal access token; only its hash is stored, the value is returned once. The value is
 * registered for process-wide redaction unless the caller scopes it itself (`scopedRedaction`: run
 * attempt tokens, which would otherwise accumulate for the life of the process).
 */
export async function mintToken(ctx: WorkspaceContext, principalId: number, opts: { comment?: string | undefined; lifetimeSeconds?: number | undefined; scopedRedaction?: boolean; tokenId?: string } = {}): Promise<MintedToken> {
  const tokenValue = `dapi${randomHex(16)}`;
  if (!opts.scopedRedaction) registerSecret(tokenValue);
  // a caller may choose the id to record it before the token exists (run attempts, see runs/tokens.ts)
  const tokenId = opts.tokenId ?? randomHex(32);
  const creationTime = ctx.clock.now();
  const expiryTime = opts.lifetimeSeconds && opts.lifetimeSeconds > 0 ? creationTime + opts.lifetimeSeconds * 1000 : -1;
  await ctx.database.db.insert(tokens).values({
    tokenId,
    principalId,
    tokenHash: sha256Hex(tokenValue),
    comment: opts.comment ?? null,
    createdAt: creationTime,
    expiryTime,
  });
  return { tokenValue, tokenId, creationTime, expiryTime, comment: opts.comment };
}

/** Resolves a bearer token to its principal; null when unknown, expired or inactive. */
export async function authenticate(ctx: WorkspaceContext, tokenValue: string): Promise<Principal | null> {
  const rows = await ctx.database.db
    .select({ p: principals, expiryTime: tokens.expiryTime, tokenId: tokens.tokenId })
    .from(tokens)
    .innerJoin(principals, eq(tokens.principalId, principals.id))
    .where(eq(tokens.tokenHash, sha256Hex(tokenValue)))
    .limit(1);
  const row = rows[0];
  if (!row || !row.p.active) return null;
  if (row.expiryTime !== -1 && row.expiryTime <= ctx.clock.now()) return null;
  if (row.p.kind === 'group') return null;
  const groups = await groupNamesOf(ctx, row.p.id);
  return {
    id: row.p.id,
    kind: row.p.kind,
    name: row.p.name,
    displayName: row.p.displayName ?? row.p.name,
    groups,
    isAdmin: groups.includes(ADMINS_GROUP),
    tokenId: row.tokenId,
  };
}

/** Every group a principal belongs to, following nested groups. */
export async function groupNamesOf(ctx: WorkspaceContext, principalId: number): Promise<string[]> {
  // a recursive CTE, which the query builder cannot express
  const r = await ctx.database.db.execute<{ name: string }>(sql`
    WITH RECURSIVE g(id) AS (
      SELECT ${groupMembers.groupId} FROM ${groupMembers} WHERE ${groupMembers.memberId} = ${principalId}
      UNION SELECT ${groupMembers.groupId} FROM ${groupMembers} JOIN g ON ${groupMembers.memberId} = g.id
    ) SELECT ${principals.name} FROM ${principals} JOIN g ON ${principals.id} = g.id ORDER BY ${principals.name}`);
  return r.rows.map((x) => x.name);
}
