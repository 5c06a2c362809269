import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scimService } from '../../src/workspace/services/scim/index.js';
import { requireReference } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import { assertRecordedStatus, goldenPath, loadGolden, replayRequest, type GoldenRequest, type ReplayResult } from './golden.js';

/**
 * Every /api/2.0/preview/scim/v2/* request the official Python SDK sent, replayed in order against a
 * fresh workspace per recording (admin test@example.com, as recorded). Each must get the status
 * Databricks answered and an answer of the shape the SDK reads.
 *
 * Two rewrites make the recording fit this workspace: the ids Databricks handed out (user 113,
 * group 114) become the ids created here, and a follow-up list page asks for the `startIndex` the
 * SDK would compute from *our* previous page (previous startIndex + its Resources). The recording's
 * last page of every list was the one that ended the SDK's loop, so it must come back empty.
 */

const FILES = ['sdk.jsonl', 'sdk-host-metadata.jsonl'] as const;
const SCIM_PREFIX = '/api/2.0/preview/scim/v2/';
const RECORDED_IDS = { user: '113', group: '114' } as const;

const available = requireReference('SCIM golden contract', FILES.map(goldenPath));

type Json = Record<string, unknown>;
type ListResponse = { schemas: string[]; totalResults: number; startIndex: number; itemsPerPage: number; Resources: Json[] };

function isListCall(r: GoldenRequest): boolean {
  return r.method === 'GET' && /\/(Users|Groups|ServicePrincipals)$/.test(r.path);
}

function mapIds(text: string, ids: Map<string, string>): string {
  let out = text;
  for (const [recorded, actual] of ids) out = out.replace(new RegExp(`(?<=/|")${recorded}(?=$|/|"|\\\\")`, 'g'), actual);
  return out;
}

function rewriteFor(ids: Map<string, string>) {
  return (request: GoldenRequest, history: readonly ReplayResult[]): GoldenRequest => {
    const next: GoldenRequest = { ...request, path: mapIds(request.path, ids) };
    if (request.body && 'json' in request.body) next.body = { json: JSON.parse(mapIds(JSON.stringify(request.body.json), ids)) as unknown };
    const previous = history[history.length - 1];
    if (previous && isListCall(request) && previous.request.label === request.label && previous.request.path === request.path) {
      const page = previous.json as ListResponse;
      next.query = { ...request.query, startIndex: [String(page.startIndex + page.Resources.length)] };
    }
    return next;
  };
}

function checkShape(result: ReplayResult, ids: Map<string, string>, firstPage: boolean): void {
  const { label } = result.request;
  const body = result.json as Json;
  const userId = ids.get(RECORDED_IDS.user);
  const groupId = ids.get(RECORDED_IDS.group);
  const recordedBody = (result.request.body && 'json' in result.request.body ? result.request.body.json : {}) as Json;
  if (result.status === 204) {
    expect(result.bytes.length).toBe(0);
    return;
  }
  expect(result.contentType).toContain('application/json');
  if (isListCall(result.request)) {
    const page = body as unknown as ListResponse;
    expect(page.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(page).toMatchObject({ totalResults: expect.any(Number), startIndex: Number(result.request.query.startIndex?.[0] ?? 1), itemsPerPage: page.Resources.length });
    if (!firstPage) {
      expect(page.Resources).toEqual([]);
      return;
    }
    expect(page.Resources.length).toBeGreaterThan(0);
    const attributes = result.request.query.attributes?.[0];
    if (attributes) for (const r of page.Resources) expect(Object.keys(r).every((k) => ['id', 'schemas', ...attributes.split(',')].includes(k))).toBe(true);
    const filter = result.request.query.filter?.[0];
    if (filter) expect(page.totalResults).toBe(1);
    if (label.startsWith('sdk.users.list')) expect(page.Resources.map((r) => r.id)).toContain(userId);
    if (label.startsWith('sdk.groups.list')) expect(page.Resources.map((r) => r.id)).toContain(groupId);
    return;
  }
  switch (label) {
    case 'sdk.current_user.me':
      expect(body).toMatchObject({ userName: 'test@example.com', id: expect.any(String), active: true });
      return;
    case 'sdk.users.create':
      expect(body).toMatchObject({ userName: recordedBody.userName, displayName: 'Alice', emails: [expect.objectContaining({ value: recordedBody.userName, primary: true })] });
      expect(body.schemas).toContain('urn:ietf:params:scim:schemas:core:2.0:User');
      return;
    case 'sdk.users.get':
      expect(body).toMatchObject({ id: userId, displayName: 'Alice', active: true });
      return;
    case 'sdk.users.patch':
      expect(body).toMatchObject({ id: userId, displayName: 'Alice B', entitlements: [{ value: 'workspace-access' }] });
      return;
    case 'sdk.users.patch.active-false(quirk)':
      // the SDK dropped `value: false`; an absent value reads as the attribute's empty value
      expect(body).toMatchObject({ id: userId, active: false });
      return;
    case 'sdk.users.update(PUT)':
      expect(body).toMatchObject({ id: userId, displayName: 'Alice C', active: true });
      return;
    case 'sdk.groups.create':
      expect(body).toMatchObject({ displayName: recordedBody.displayName, members: [{ value: userId, $ref: `Users/${userId}` }] });
      return;
    case 'sdk.groups.get':
      expect(body).toMatchObject({ id: groupId, members: [{ value: userId }] });
      return;
    case 'sdk.groups.patch':
      expect(body).toMatchObject({ id: groupId });
      expect(body.members).toBeUndefined();
      return;
    default:
      throw new Error(`no shape check for ${label}`);
  }
}

for (const file of available ? FILES : []) {
  describe(`SCIM golden contract: ${file}`, () => {
    let ws: TestWorkspace;
    const ids = new Map<string, string>();
    const history: ReplayResult[] = [];
    beforeAll(async () => {
      ws = await startTestWorkspace({ services: [scimService], adminUserName: 'test@example.com' });
    });
    afterAll(async () => {
      await ws?.close();
    });

    for (const request of loadGolden(file, { pathPrefix: SCIM_PREFIX })) {
      it(`#${request.seq} ${request.label}`, async () => {
        const result = await replayRequest(ws.url, ws.token, request, { rewrite: rewriteFor(ids), history });
        assertRecordedStatus(result);
        const previous = history[history.length - 1];
        const firstPage = !(previous && previous.request.label === request.label && previous.request.path === result.request.path);
        checkShape(result, ids, firstPage);
        if (request.label === 'sdk.users.create') ids.set(RECORDED_IDS.user, (result.json as Json).id as string);
        if (request.label === 'sdk.groups.create') ids.set(RECORDED_IDS.group, (result.json as Json).id as string);
        if (request.label === 'sdk.current_user.me') expect(await orgIdHeader(ws)).toBe(ws.ctx.config.workspaceId);
        history.push(result);
      });
    }
  });
}

async function orgIdHeader(ws: TestWorkspace): Promise<string | null> {
  const r = await ws.api(`${SCIM_PREFIX}Me`);
  await r.arrayBuffer();
  return r.headers.get('x-databricks-org-id');
}
