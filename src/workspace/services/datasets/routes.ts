import { createReadStream, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  CreateDatasetForm,
  DatasetIdParams,
  DeleteDatasetParams,
  type DatasetInfo,
  type DatasetSyncStatus,
  type ListDatasetsResponse,
} from '../../../api/datasets.js';
import { apiErrors, errorMessage } from '../../../core/errors.js';
import { dropStatement } from '../../../datasets/names.js';
import { parquetPath } from '../../../datasets/storage.js';
import { signalSync } from '../../../datasets/worker.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith } from '../../http/body.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { datasetFor, deleteDatasetRow, findDataset, insertDataset, listDatasets, present, requestSync, syncStatusOf } from './store.js';
import { storeUpload } from './upload.js';

/**
 * The datasets API. Every route is for the dataset's owner and admins; anyone else is answered as
 * if the dataset did not exist. Listing shows a user their own datasets (an admin, all of them).
 */

const UploadQuery = CreateDatasetForm.extend({ format: z.string().optional() });

function idOf(c: ApiContext): string {
  return parseWith(DatasetIdParams, { id: c.req.param('id') }).id;
}

/** Requests a sync and signals the workers; false when one is already pending or running. */
async function startSync(ctx: WorkspaceContext, id: string): Promise<boolean> {
  const runtime = ctx.services.datasets.require();
  const row = await findDataset(ctx, id);
  if (!row || !(await requestSync(ctx, row, runtime.settings))) return false;
  await signalSync(ctx.services.queue, id);
  return true;
}

export function registerDatasetRoutes(router: ApiRouter, ctx: WorkspaceContext): void {
  router.post('/api/2.0/brickyard/datasets', { input: UploadQuery, body: 'raw' }, async (c, query): Promise<DatasetInfo> => {
    const runtime = ctx.services.datasets.require();
    const limit = Math.min(runtime.settings.maxUploadBytes, ctx.config.maxUploadBytes);
    const upload = await storeUpload(ctx, c, query, limit);
    try {
      await insertDataset(ctx, {
        id: upload.id,
        name: upload.fields.name,
        description: upload.fields.description ?? '',
        tenant: upload.fields.tenant ?? runtime.settings.defaultTenant,
        ownerUserName: c.get('principal').name,
        fileName: upload.fileName,
        sourceFormat: upload.format,
        rowCount: upload.rowCount,
        sizeBytes: upload.sizeBytes,
        contentHash: upload.contentHash,
        columns: upload.columns,
        createdAt: ctx.clock.now(),
        syncStatus: 'not_synced',
      });
    } catch (err) {
      rmSync(parquetPath(ctx.config.stateDir, upload.fileName), { force: true });
      throw err;
    }
    // the upload is complete and answered now; the sync is the workers' business
    if (runtime.settings.autoSync && upload.fields.sync !== false) await startSync(ctx, upload.id);
    return present((await findDataset(ctx, upload.id))!);
  });

  router.get('/api/2.0/brickyard/datasets', async (c): Promise<ListDatasetsResponse> => {
    return { datasets: (await listDatasets(ctx, c.get('principal'))).map(present) };
  });

  router.get('/api/2.0/brickyard/datasets/:id', async (c): Promise<DatasetInfo> => present(await datasetFor(ctx, idOf(c), c.get('principal'))));

  router.get('/api/2.0/brickyard/datasets/:id/databricks/status', async (c): Promise<DatasetSyncStatus> => syncStatusOf(await datasetFor(ctx, idOf(c), c.get('principal'))));

  router.get('/api/2.0/brickyard/datasets/:id/file', async (c) => {
    const row = await datasetFor(ctx, idOf(c), c.get('principal'));
    const body = Readable.toWeb(createReadStream(parquetPath(ctx.config.stateDir, row.fileName))) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: { 'content-type': 'application/vnd.apache.parquet', 'content-length': String(row.sizeBytes), 'content-disposition': `attachment; filename="${row.fileName}"` },
    });
  });

  router.post('/api/2.0/brickyard/datasets/:id/sync', async (c): Promise<DatasetSyncStatus> => {
    const row = await datasetFor(ctx, idOf(c), c.get('principal'));
    if (!(await startSync(ctx, row.id))) throw apiErrors.invalidState(`Dataset ${row.id} is already being synced (${row.syncStatus}); wait for it to end.`);
    return syncStatusOf((await findDataset(ctx, row.id))!);
  });

  router.delete('/api/2.0/brickyard/datasets/:id', async (c) => {
    const { id, keep_tables: keepTables } = parseWith(DeleteDatasetParams, { ...Object.fromEntries(new URL(c.req.url).searchParams), id: c.req.param('id') });
    const row = await datasetFor(ctx, id, c.get('principal'));
    if (row.syncStatus === 'syncing') throw apiErrors.invalidState(`Dataset ${id} is being synced; delete it once the sync has ended.`);
    const tables = [row.silverTable, row.bronzeTable].filter((t): t is string => t !== null);
    if (!keepTables && tables.length > 0) {
      try {
        const target = await ctx.services.datasets.require().target();
        for (const table of tables) await target.sql(dropStatement(table));
      } catch (err) {
        // nothing is deleted when the tables cannot be: the dataset stays, with its local copy
        throw apiErrors.invalidState(`Could not drop the tables of dataset ${id} (${errorMessage(err)}); retry, or delete with keep_tables=true.`);
      }
    }
    await deleteDatasetRow(ctx, id);
    rmSync(parquetPath(ctx.config.stateDir, row.fileName), { force: true });
    return {};
  });
}
