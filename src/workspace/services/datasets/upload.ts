import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateDatasetJson, type DatasetFormat } from '../../../api/datasets.js';
import { ApiError, apiErrors } from '../../../core/errors.js';
import { DatasetInputError, detectFormat, ingestToParquet, type IngestResult } from '../../../datasets/ingest.js';
import { parquetFileName, parquetPath, uploadsDir } from '../../../datasets/storage.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith, readJsonBody } from '../../http/body.js';
import type { ApiContext } from '../../http/router.js';
import { nodeReadable, requestBodyChunks, streamToFile } from '../../http/stream-body.js';

/**
 * An upload as it arrives — JSON records, a multipart file, or the file itself as the body (what
 * the CLI streams) — written to a temporary file, then to the dataset's Parquet file by DuckDB.
 */

export interface UploadFields {
  name?: string | undefined;
  description?: string | undefined;
  tenant?: string | undefined;
  sync?: boolean | undefined;
  format?: string | undefined;
}

export interface StoredUpload extends IngestResult {
  id: string;
  fileName: string;
  format: DatasetFormat;
  fields: UploadFields & { name: string };
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'INVALID_PARAMETER_VALUE', `The dataset is larger than the limit of ${limit} bytes.`);
}

function kindOf(c: ApiContext): 'json' | 'multipart' | 'raw' {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return 'multipart';
  if (type.startsWith('application/json') || type.startsWith('text/json')) return 'json';
  return 'raw';
}

/** True for a dataset upload whose body is the file itself (streamed, under its own limit, not the JSON body limit). */
export function isStreamedDatasetUpload(method: string, path: string, contentType: string | undefined): boolean {
  if (method !== 'POST' || path !== '/api/2.0/brickyard/datasets') return false;
  const type = (contentType ?? '').toLowerCase();
  return !type.startsWith('multipart/form-data') && !type.startsWith('application/json') && !type.startsWith('text/json');
}

/** The upload's input as a file in `dir`, its format and the fields sent beside it. */
async function receive(c: ApiContext, query: UploadFields, input: string, limit: number): Promise<{ format: DatasetFormat; fields: UploadFields; fileName?: string }> {
  const kind = kindOf(c);
  if (kind === 'json') {
    const body = parseWith(CreateDatasetJson, { ...query, ...(await readJsonBody(c)) });
    // one record per line: DuckDB reads them as newline-delimited JSON
    writeFileSync(input, body.records.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
    return { format: 'json', fields: body };
  }
  if (kind === 'multipart') {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw apiErrors.malformedRequest('Invalid multipart/form-data body in the request - failed to parse it.');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') throw apiErrors.invalidParameter('Missing required field: file (the dataset file as a multipart file part)');
    const text = (k: string) => {
      const v = form.get(k);
      return typeof v === 'string' ? v : undefined;
    };
    if (file.size > limit) throw tooLarge(limit);
    await streamToFile(nodeReadable(file.stream()), input, { limit, tooLarge: () => tooLarge(limit), flags: 'w' });
    const sync = text('sync');
    const fields = { ...query, name: text('name') ?? query.name, description: text('description') ?? query.description, tenant: text('tenant') ?? query.tenant, format: text('format') ?? query.format };
    const format = detectFormat({ format: fields.format, fileName: file.name, contentType: file.type });
    return { format, fields: { ...fields, ...(sync !== undefined ? { sync: sync === 'true' } : {}) }, fileName: file.name };
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  const format = detectFormat({ format: query.format, fileName: query.name, contentType: c.req.header('content-type') });
  const body = requestBodyChunks(c);
  if (!body) throw new DatasetInputError('The uploaded file is empty.');
  await streamToFile(body, input, { limit, tooLarge: () => tooLarge(limit), flags: 'w' });
  return { format, fields: query };
}

/**
 * Receives the upload and writes the dataset's Parquet file; nothing is left behind when it is
 * refused. `admit` sees the fields once received, before the file is converted (it may refuse).
 */
export async function storeUpload(ctx: WorkspaceContext, c: ApiContext, query: UploadFields, limit: number, admit?: (fields: UploadFields) => Promise<void>): Promise<StoredUpload> {
  const dir = uploadsDir(ctx.config.stateDir);
  const id = randomUUID();
  const fileName = parquetFileName(id);
  const input = join(dir, `${id}.upload`);
  try {
    const got = await receive(c, query, input, limit);
    const name = got.fields.name ?? got.fileName?.replace(/\.[^.]*$/, '');
    if (!name) throw apiErrors.invalidParameter('Missing required field: name');
    await admit?.(got.fields);
    const conn = await ctx.services.sql.require().engine.connect();
    try {
      const result = await ingestToParquet(conn, input, got.format, parquetPath(ctx.config.stateDir, fileName));
      return { ...result, id, fileName, format: got.format, fields: { ...got.fields, name } };
    } finally {
      conn.closeSync();
    }
  } catch (err) {
    rmSync(parquetPath(ctx.config.stateDir, fileName), { force: true });
    if (err instanceof DatasetInputError) throw apiErrors.invalidParameter(err.message);
    throw err;
  } finally {
    rmSync(input, { force: true });
  }
}
