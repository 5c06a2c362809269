import type { DatasetSettings } from '../../../datasets/settings.js';
import { internalApiKey } from '../../../datasets/storage.js';
import { syncNames } from '../../../datasets/names.js';
import { DatasetSyncWorker, localSource, type WorkerOptions } from '../../../datasets/worker.js';
import type { DatasetRow } from '../../../datasets/workflow.js';
import type { WorkspaceContext } from '../../context.js';
import type { ServiceModule } from '../../service.js';
import { registerInternalRoutes } from './internal-routes.js';
import { registerDatasetRoutes } from './routes.js';
import { externalLocationOf, resolveSettings, targetFactory, type TargetAs } from './target-factory.js';

/**
 * Datasets: uploads kept as Parquet under the state directory (written by the SQL service's DuckDB
 * engine), their sync into a bronze and a silver table, and the internal file endpoint the sync
 * reads them through. Provides `ctx.services.datasets`; runs the sync worker in this process
 * unless the settings say `worker: false` (then `brickyard worker` processes do it).
 */
export interface DatasetsRuntime {
  settings: DatasetSettings;
  /** The key of /internal/storage/datasets/*. */
  internalKey: string;
  /** The workspace syncs write to (this one as the user named, or a profile's); release() each target once done. */
  target: TargetAs;
  /** The in-process worker, while it runs. */
  worker: DatasetSyncWorker | undefined;
}

declare module '../../wiring.js' {
  interface ServiceCapabilities {
    /** From init to stop. */
    datasets: DatasetsRuntime;
  }
}

export interface DatasetsServiceOptions {
  /** Over `ctx.config.datasets` and the defaults. */
  settings?: Partial<DatasetSettings>;
  /** Replaces the target (tests put a faulty or slow one in front of the real one). */
  target?: (ctx: WorkspaceContext) => TargetAs;
  worker?: WorkerOptions;
}

export function createDatasetsService(options: DatasetsServiceOptions = {}): ServiceModule {
  return {
    name: 'datasets',
    provides: ['datasets'],
    uses: ['sql'],
    init(ctx) {
      const settings = resolveSettings(ctx, options.settings);
      ctx.services.datasets.provide({
        settings,
        internalKey: internalApiKey(ctx.config.stateDir, settings.internalApiKey),
        target: options.target ? options.target(ctx) : targetFactory(ctx, settings),
        worker: undefined,
      });
      return Promise.resolve();
    },
    routes(router, ctx) {
      registerDatasetRoutes(router, ctx);
      registerInternalRoutes(router, ctx);
    },
    async start(ctx) {
      const runtime = ctx.services.datasets.require();
      if (runtime.settings.worker === false) return;
      const leaseMs = runtime.settings.worker.leaseMs;
      // each sync as its dataset's owner, checked first against the owner's grants on the catalog
      const external = externalLocationOf(runtime.settings);
      const asOwner = (row: DatasetRow) => runtime.target(row.ownerUserName, row.targetCatalog ? syncNames(row.targetCatalog, row, external) : undefined);
      const worker = new DatasetSyncWorker(ctx, ctx.services.queue, asOwner, localSource(ctx.config.stateDir), {
        ...(leaseMs !== undefined ? { leaseMs } : {}),
        ...options.worker,
      });
      await worker.start();
      runtime.worker = worker;
    },
    async stop(ctx) {
      const runtime = ctx.services.datasets.current;
      ctx.services.datasets.withdraw();
      await runtime?.worker?.stop();
    },
  };
}

export const datasetsService = createDatasetsService();
