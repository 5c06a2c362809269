import { rmSync } from 'node:fs';
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
import { fileReadableStream } from '../../../core/file-stream.js';
import { catalogFor, dropStatement, LANDING_VOLUME, syncNames } from '../../../datasets/names.js';
import type { DatasetRow } from '../../../datasets/workflow.js';
import { parquetPath } from '../../../datasets/storage.js';
import { signalSync } from '../../../datasets/worker.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith } from '../../http/body.js';
import type { Principal } from '../identity/principal.js';
import { checkSyncAccess } from './access.js';
import type { ApiContext, ApiRouter } from '../../http/router.js';
import { datasetFor, deleteDatasetRow, findDataset, insertDataset, listDatasets, present, requestSync, syncStatusOf } from './store.js';
import { externalLocationOf, targetsSelf } from './target-factory.js';
import { storeUpload } from './upload.js';

/**
 * The datasets API. Every route is for the dataset's owner and admins; anyone else is answered as
 * if the dataset did not exist. Listing shows a user their own datasets (an admin, all of them).
 */

const UploadQuery = CreateDatasetForm.extend({ format: z.string().optional() });

function idOf(c: ApiContext): string {
  return parseWith(DatasetIdParams, { id: c.req.param('id') }).id;
}

/**
 * Refuses (403 PERMISSION_DENIED naming the privilege) a sync by `caller` into the catalog of
 * `tenant` that this workspace's Unity Catalog grants would not allow; the sync itself runs as the
 * dataset's owner, so this is the same answer, given before anything is stored or created.
 */
async function admitSync(ctx: WorkspaceContext, caller: Principal, tenant: string, dataset?: DatasetRow): Promise<void> {
  const settings = ctx.services.datasets.require().settings;
  // a profile's workspace has principals of its own: its grants apply there, to the profile's identity
  if (!targetsSelf(settings)) return;
  const catalog = catalogFor(settings.catalogTemplate, tenant);
  const external = externalLocationOf(settings);
  // before the upload is read its columns are unknown: planned as external when a location is set
  await checkSyncAccess(ctx, caller, dataset ? syncNames(catalog, dataset, external) : { catalog, volume: `${catalog}.bronze.${LANDING_VOLUME}`, ...(external ? { externalDir: external } : {}) });
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
    const caller = c.get('principal');
    const upload = await storeUpload(ctx, c, query, limit, async (fields) => {
      if (runtime.settings.autoSync && fields.sync !== false) await admitSync(ctx, caller, fields.tenant ?? runtime.settings.defaultTenant);
    });
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
    const body = fileReadableStream(parquetPath(ctx.config.stateDir, row.fileName));
    return new Response(body, {
      headers: { 'content-type': 'application/vnd.apache.parquet', 'content-length': String(row.sizeBytes), 'content-disposition': `attachment; filename="${row.fileName}"` },
    });
  });

  router.post('/api/2.0/brickyard/datasets/:id/sync', async (c): Promise<DatasetSyncStatus> => {
    const row = await datasetFor(ctx, idOf(c), c.get('principal'));
    // the sync acts as the owner: an admin asking for another's dataset is checked as that owner
    if (row.ownerUserName === c.get('principal').name) await admitSync(ctx, c.get('principal'), row.tenant, row);
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
        // dropped as the caller, under their grants (MANAGE on each table, or ownership)
        const target = await ctx.services.datasets.require().target(c.get('principal').name);
        try {
          for (const table of tables) await target.sql(dropStatement(table));
        } finally {
          await target.release?.();
        }
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
