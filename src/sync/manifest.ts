/**
 * The sync manifest: a JSON workspace file recording, per synced local file, the content hash
 * and the remote object it became. It lives in the workspace (not on disk) so that a fresh CI
 * checkout knows what is already there, and it only ever lists objects this sync created.
 */
import { ApiError as SdkApiError, type WorkspaceClient, type workspace } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { UPLOAD_FORMATS } from '../api/workspace.js';
import { stableStringify } from '../core/hash.js';

export const MANIFEST_VERSION = 1;
export const MANIFEST_DIR = '.brickyard';
export const MANIFEST_NAME = 'sync-manifest.json';

export const ManifestEntrySchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  remotePath: z.string().startsWith('/'),
  kind: z.enum(['notebook', 'file']),
  format: z.enum(UPLOAD_FORMATS),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

/** An upload a sync announced before starting it: its remote bytes are unknown until it is confirmed. */
export const PendingEntrySchema = z.object({
  relPath: z.string(),
  kind: z.enum(['notebook', 'file']),
  format: z.enum(UPLOAD_FORMATS),
});
export type PendingEntry = z.infer<typeof PendingEntrySchema>;

export const ManifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  /** the destination directory the files were synced into */
  root: z.string(),
  /** keyed by the local path relative to the sync source */
  files: z.record(z.string(), ManifestEntrySchema),
  /**
   * Keyed by remote path: uploads written down before they start and removed once confirmed. A sync
   * killed mid-upload leaves them here, so the next sync uploads (or deletes) them whatever the hashes say.
   */
  pending: z.record(z.string(), PendingEntrySchema).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function emptyManifest(root: string): Manifest {
  return { version: MANIFEST_VERSION, root, files: {} };
}

/** `<dir>/.brickyard/sync-manifest.json` */
export function manifestPathFor(dir: string): string {
  return `${dir.replace(/\/+$/, '')}/${MANIFEST_DIR}/${MANIFEST_NAME}`;
}

/** Stable text (sorted keys) so an unchanged manifest is recognised and never rewritten. */
export function serializeManifest(manifest: Manifest): string {
  return stableStringify(manifest) + '\n';
}

export type ManifestRead =
  | { status: 'found'; manifest: Manifest }
  | { status: 'missing' }
  /** present but unusable: the sync starts over (re-uploads everything with overwrite) */
  | { status: 'invalid'; reason: string };

export function parseManifest(text: string): ManifestRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { status: 'invalid', reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'invalid', reason: `${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'invalid'}` };
  }
  return { status: 'found', manifest: parsed.data };
}

/** Reads the manifest through the SDK; a missing file is an empty history, other errors propagate. */
export async function readManifest(w: WorkspaceClient, manifestPath: string): Promise<ManifestRead> {
  const text = await readStateText(w, manifestPath);
  return text === undefined ? { status: 'missing' } : parseManifest(text);
}

/** A small state file under `.brickyard/` as text; undefined when it does not exist. */
export async function readStateText(w: WorkspaceClient, path: string): Promise<string | undefined> {
  try {
    const exported = await exportObject(w, path);
    return Buffer.from(exported.content ?? '', 'base64').toString('utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Writes the manifest as a workspace file; its directory is created first when it is new (or found missing). */
export async function writeManifest(w: WorkspaceClient, manifestPath: string, manifest: Manifest, opts: { createDirectory: boolean }): Promise<void> {
  await writeStateText(w, manifestPath, serializeManifest(manifest), opts);
}

/** Writes a small state file (overwriting); its directory is created when asked or found missing. */
export async function writeStateText(w: WorkspaceClient, path: string, text: string, opts: { createDirectory: boolean }): Promise<void> {
  const directory = path.slice(0, path.lastIndexOf('/'));
  if (opts.createDirectory) await w.workspace.mkdirs({ path: directory });
  const request = {
    path,
    format: 'RAW' as const,
    overwrite: true,
    content: Buffer.from(text, 'utf8').toString('base64'),
  };
  try {
    await w.workspace.import(request);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await w.workspace.mkdirs({ path: directory });
    await w.workspace.import(request);
  }
}

/**
 * `GET /api/2.0/workspace/export` through the SDK's ApiClient. SDK 0.14.2's generated
 * `w.workspace.export` drops the query string (ApiClient.request only attaches `query` when a
 * payload is given), so the query is passed as the payload too.
 */
async function exportObject(w: WorkspaceClient, objectPath: string): Promise<workspace.ExportResponse> {
  const query = { path: objectPath, format: 'AUTO' };
  return (await w.apiClient.request({
    path: '/api/2.0/workspace/export',
    method: 'GET',
    headers: new Headers({ Accept: 'application/json' }),
    query,
    payload: query,
    raw: false,
  })) as workspace.ExportResponse;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof SdkApiError && (err.statusCode === 404 || err.errorCode === 'RESOURCE_DOES_NOT_EXIST');
}
