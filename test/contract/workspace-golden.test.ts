import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceService } from '../../src/workspace/services/workspace/index.js';
import { requireReference } from '../helpers/reference.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';
import {
  GOLDEN_FILES,
  assertRecordedStatus,
  goldenPath,
  loadGolden,
  replayRequest,
  requestField,
  uploadedContent,
  type GoldenRequest,
  type ReplayResult,
} from './golden.js';

/**
 * Every /api/2.0/workspace* request the official clients sent, replayed in order against one
 * fresh workspace (admin test@example.com, as in the recordings): each must get the status
 * Databricks answered, and the answers must have the shapes the clients read.
 */

const available = requireReference('workspace golden contract', GOLDEN_FILES.map(goldenPath));

interface Uploaded {
  format: string;
  bytes: Uint8Array;
}

let ws: TestWorkspace;
/** What each path was last imported with, to check exports against. */
const uploads = new Map<string, Uploaded>();

describe.skipIf(!available)('workspace golden contract', () => {
  beforeAll(async () => {
    ws = await startTestWorkspace({ services: [workspaceService], adminUserName: 'test@example.com' });
  });
  afterAll(async () => {
    await ws?.close();
  });

  for (const file of available ? GOLDEN_FILES : []) {
    describe(file, () => {
      for (const request of loadGolden(file, { pathPrefix: '/api/2.0/workspace' })) {
        it(`#${request.seq} ${request.label}`, async () => {
          const result = await replayRequest(ws.url, ws.token, request);
          assertRecordedStatus(result);
          checkShape(result);
          if (request.path.endsWith('/workspace/import') && result.status === 200) recordUpload(request);
        });
      }
    });
  }
});

function recordUpload(request: GoldenRequest): void {
  const bytes = uploadedContent(request);
  if (bytes === undefined) return;
  uploads.set(String(requestField(request, 'path')), { format: String(requestField(request, 'format') ?? 'SOURCE'), bytes });
}

function checkShape(result: ReplayResult): void {
  const { request } = result;
  const endpoint = request.path.slice('/api/2.0/workspace/'.length);
  if (result.status >= 400) {
    expect(result.json).toMatchObject({ error_code: expect.any(String), message: expect.any(String) });
    if (endpoint === 'get-status' && result.status === 404) expect((result.json as { error_code: string }).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    return;
  }
  switch (endpoint) {
    case 'mkdirs':
    case 'import':
    case 'delete':
      expect(result.json).toEqual({});
      return;
    case 'get-status':
      expect(result.json).toMatchObject({ object_type: expect.any(String), path: requestField(request, 'path'), object_id: expect.any(Number) });
      return;
    case 'list': {
      const objects = (result.json as { objects?: { object_type: string; path: string; language?: string }[] }).objects;
      expect(objects?.length ?? 0).toBeGreaterThan(0);
      for (const o of objects ?? []) {
        expect(o).toMatchObject({ object_type: expect.any(String), path: expect.stringMatching(/^\//) });
        // the legacy CLI's export_dir picks the file extension from the notebook language
        if (o.object_type === 'NOTEBOOK') expect(o.language).toMatch(/^(PYTHON|SQL|SCALA|R)$/);
      }
      return;
    }
    case 'export':
      checkExport(result);
      return;
    default:
      throw new Error(`no shape check for ${request.path}`);
  }
}

function checkExport(result: ReplayResult): void {
  const { request } = result;
  const path = String(requestField(request, 'path'));
  const format = String(requestField(request, 'format') ?? 'SOURCE');
  const direct = requestField(request, 'direct_download') === 'true';
  const exported = direct ? Buffer.from(result.bytes) : Buffer.from((result.json as { content: string }).content, 'base64');
  if (!direct) expect((result.json as { file_type?: string }).file_type).toBe(format === 'JUPYTER' ? 'ipynb' : 'py');
  const uploaded = uploads.get(path);
  expect(uploaded, `nothing was imported at ${path}`).toBeDefined();
  if (!uploaded) return;
  if (uploaded.format === format) {
    // SOURCE comes back as imported (these recordings are already normalised), JUPYTER byte for byte
    expect(exported.toString('utf8')).toBe(Buffer.from(uploaded.bytes).toString('utf8'));
    return;
  }
  // a Jupyter notebook exported as SOURCE: Databricks' source format with the same code
  expect(format).toBe('SOURCE');
  const text = exported.toString('utf8');
  expect(text.startsWith('# Databricks notebook source\n')).toBe(true);
  const cells = (JSON.parse(Buffer.from(uploaded.bytes).toString('utf8')) as { cells: { source: string[] | string }[] }).cells;
  for (const cell of cells) expect(text).toContain((Array.isArray(cell.source) ? cell.source.join('') : cell.source).trimEnd());
}
