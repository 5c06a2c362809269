import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referencePath } from '../helpers/reference.js';

/**
 * Golden files: the exact requests official clients (Python SDK, legacy databricks-cli) sent to
 * real Databricks, one JSON object per line, with the status Databricks answered (no bodies).
 * This module loads them and replays them against a local workspace. The files are reference
 * data outside the repo (`../shared`): tests read them at run time, see requireReference.
 */

export const GOLDEN_DIR = referencePath('reference', 'golden-requests');
export const GOLDEN_FILES = ['sdk.jsonl', 'sdk-host-metadata.jsonl', 'legacy-cli.jsonl', 'legacy-cli-jobs20.jsonl'] as const;

export interface GoldenPart {
  name: string;
  filename: string | null;
  content_type: string | null;
  length: number;
  text: string;
}

export type GoldenBody = { json: unknown } | { multipart: GoldenPart[] } | null;

export interface GoldenRequest {
  seq: number;
  label: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters in recorded order, each with all its values. */
  query: Record<string, string[]>;
  headers: Record<string, string>;
  body: GoldenBody;
  response_status: number;
}

export interface ReplayResult {
  request: GoldenRequest;
  status: number;
  contentType: string;
  bytes: Uint8Array;
  /** The parsed body when the response is JSON. */
  json: unknown;
}

/** Rewrites a (cloned) request before it is sent, e.g. recorded ids → ids of this workspace. */
export type Rewrite = (request: GoldenRequest, history: readonly ReplayResult[]) => GoldenRequest;

export function goldenPath(file: string): string {
  return join(GOLDEN_DIR, file);
}

/** The Python SDK's API surface: every model and its fields, to check our answers against. */
export const API_SURFACE = referencePath('reference', 'databricks-api', 'databricks-sdk-py-0.133.0-api-surface.json');

/** The requests of one golden file, in recorded order, optionally only those under a path prefix. */
export function loadGolden(file: string, opts: { pathPrefix?: string | readonly string[] } = {}): GoldenRequest[] {
  const prefixes = opts.pathPrefix === undefined ? [] : typeof opts.pathPrefix === 'string' ? [opts.pathPrefix] : opts.pathPrefix;
  const lines = readFileSync(goldenPath(file), 'utf8').split('\n').filter((l) => l.trim().length > 0);
  return lines
    .map((line) => JSON.parse(line) as GoldenRequest)
    .filter((r) => prefixes.length === 0 || prefixes.some((p) => r.path.startsWith(p)))
    .sort((a, b) => a.seq - b.seq);
}

// set by fetch itself, or meaningless against another server
const DROPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'authorization']);

/** Sends one recorded request as it was sent, with the test token instead of the redacted one. */
export async function replayRequest(baseUrl: string, token: string, recorded: GoldenRequest, opts: { rewrite?: Rewrite; history?: readonly ReplayResult[] } = {}): Promise<ReplayResult> {
  const request = opts.rewrite ? opts.rewrite(structuredClone(recorded), opts.history ?? []) : recorded;
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers.set(name, value);
  }
  headers.set('authorization', `Bearer ${token}`);

  let body: string | FormData | undefined;
  if (request.body && 'json' in request.body) {
    // JSON as recorded, under its recorded Content-Type (the legacy CLI says text/json)
    body = JSON.stringify(request.body.json);
  } else if (request.body && 'multipart' in request.body) {
    body = formDataOf(request.body.multipart);
    headers.delete('content-type'); // fetch writes its own boundary
  }

  const url = new URL(request.path, baseUrl);
  for (const [name, values] of Object.entries(request.query)) for (const value of values) url.searchParams.append(name, value);
  const response = await fetch(url, { method: request.method, headers, ...(body === undefined ? {} : { body }) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('json') && bytes.length > 0) {
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  return { request, status: response.status, contentType, bytes, json };
}

/** Replays requests in order; stops at the first status that differs from the recorded one. */
export async function replayAll(baseUrl: string, token: string, requests: readonly GoldenRequest[], opts: { rewrite?: Rewrite } = {}): Promise<ReplayResult[]> {
  const history: ReplayResult[] = [];
  for (const recorded of requests) {
    const result = await replayRequest(baseUrl, token, recorded, { ...opts, history });
    assertRecordedStatus(result);
    history.push(result);
  }
  return history;
}

/** Throws, naming the request and showing the answer, unless the status is the recorded one. */
export function assertRecordedStatus(result: ReplayResult): void {
  if (result.status === result.request.response_status) return;
  const { seq, label, method, path } = result.request;
  const answer = Buffer.from(result.bytes.subarray(0, 500)).toString('utf8');
  throw new Error(`#${seq} ${label} (${method} ${path}): Databricks answered ${result.request.response_status}, the local workspace ${result.status}: ${answer}`);
}

/** The bytes a request uploads: JSON `content` (base64) or the multipart `content` part. */
export function uploadedContent(request: GoldenRequest): Uint8Array | undefined {
  if (request.body && 'json' in request.body) {
    const content = (request.body.json as { content?: unknown }).content;
    return typeof content === 'string' ? Buffer.from(content, 'base64') : undefined;
  }
  if (request.body && 'multipart' in request.body) {
    const part = request.body.multipart.find((p) => p.name === 'content');
    return part ? Buffer.from(part.text, 'utf8') : undefined;
  }
  return undefined;
}

/** A field of a request, from its JSON body, its multipart form or its query string. */
export function requestField(request: GoldenRequest, name: string): unknown {
  if (request.body && 'json' in request.body) {
    const value = (request.body.json as Record<string, unknown> | null)?.[name];
    if (value !== undefined) return value;
  }
  if (request.body && 'multipart' in request.body) {
    const part = request.body.multipart.find((p) => p.name === name);
    if (part) return part.text;
  }
  return request.query[name]?.[0];
}

function formDataOf(parts: readonly GoldenPart[]): FormData {
  const form = new FormData();
  for (const part of parts) {
    if (part.filename === null) {
      form.append(part.name, part.text);
    } else {
      const blob = new Blob([Buffer.from(part.text, 'utf8')], part.content_type ? { type: part.content_type } : {});
      form.append(part.name, blob, part.filename);
    }
  }
  return form;
}
