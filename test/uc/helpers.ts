import { addMember, createPrincipal, findPrincipalByName, mintToken } from '../../src/workspace/services/identity/store.js';
import type { TestWorkspace } from '../helpers/workspace.js';

/** Creates a non-admin user (member of `users`) through the identity store and returns a PAT for it. */
export async function createUserWithToken(ws: TestWorkspace, userName: string): Promise<string> {
  const user = await createPrincipal(ws.ctx, { kind: 'user', name: userName, displayName: userName.split('@')[0] ?? userName });
  const users = await findPrincipalByName(ws.ctx, 'group', 'users');
  if (users) await addMember(ws.ctx, users.id, user.id);
  return (await mintToken(ws.ctx, user.id)).tokenValue;
}

export async function createGroup(ws: TestWorkspace, name: string, memberNames: string[]): Promise<void> {
  const group = await createPrincipal(ws.ctx, { kind: 'group', name, displayName: name });
  for (const m of memberNames) {
    const p = await findPrincipalByName(ws.ctx, 'user', m);
    if (!p) throw new Error(`no user ${m}`);
    await addMember(ws.ctx, group.id, p.id);
  }
}

/** JSON of a response plus its status, for compact assertions. */
export async function call(ws: TestWorkspace, path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await ws.api(path, init);
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export const UC = '/api/2.1/unity-catalog';
