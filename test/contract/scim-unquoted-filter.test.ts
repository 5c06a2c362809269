import { ApiError as SdkApiError, type WorkspaceClient } from '@databricks/sdk-experimental';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/api/scim.js';
import { scimService } from '../../src/workspace/services/scim/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { sdkClient } from './sdk.js';

/**
 * SCIM filters with an unquoted value, as Databricks accepts them (`displayName eq admins`), through
 * the official JS SDK; a filter that does not parse is a 400 in SCIM's error shape.
 */

let ws: TestWorkspace;
let w: WorkspaceClient;
beforeAll(async () => {
  ws = await startTestWorkspace({ services: [scimService] });
  w = sdkClient(ws);
  await w.usersV2.create({ userName: 'a@b.c', displayName: 'Ann' });
});
afterAll(async () => {
  await ws?.close();
});

/** The first page only: the SDK's SCIM iterators do not advance startIndex. */
async function firstPage<T extends { id?: string }>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) {
    if (items.some((seen) => seen.id === item.id)) break;
    items.push(item);
  }
  return items;
}

describe('SCIM unquoted filter values', () => {
  it('finds a group and a user by an unquoted name through the SDK', async () => {
    const groups = await ws.api(`/api/2.0/preview/scim/v2/Groups?filter=${encodeURIComponent('displayName eq admins')}`);
    expect(groups.status).toBe(200);
    const body = (await groups.json()) as { totalResults: number; Resources: Array<{ displayName: string }> };
    expect(body.totalResults).toBe(1);
    expect(body.Resources.map((g) => g.displayName)).toEqual(['admins']);
    const users = await firstPage(w.usersV2.list({ filter: 'userName eq a@b.c', count: 100 }));
    expect(users.map((u) => u.userName)).toContain('a@b.c');
    expect(new Set(users.map((u) => u.userName))).toEqual(new Set(['a@b.c']));
    const sdkGroups = await firstPage(w.groupsV2.list({ filter: 'displayName eq admins' }));
    expect(new Set(sdkGroups.map((g) => g.displayName))).toEqual(new Set(['admins']));
  });

  it('answers a filter parse error with a SCIM 400', async () => {
    const r = await ws.api(`/api/2.0/preview/scim/v2/Users?filter=${encodeURIComponent('userName eq (')}`);
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ schemas: [SCIM_SCHEMAS.error], status: '400', scimType: 'invalidFilter' });
    let err: unknown;
    try {
      await firstPage(w.usersV2.list({ filter: 'userName eqq x' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SdkApiError);
    expect((err as SdkApiError).statusCode).toBe(400);
  });
});
