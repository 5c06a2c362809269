import { ApiError, type sql, type WorkspaceClient } from '@databricks/sdk-experimental';
import { ApiError as WorkspaceApiError, errorMessage } from '../core/errors.js';

/**
 * The workspace a sync writes to, reached through its REST API with the official SDK: the local
 * workspace itself or a real Databricks workspace (a profile), by the same code.
 */
export interface SyncTarget {
  /** The host, for messages. */
  readonly host: string;
  /** Files API: writes `contents` at `path` (a /Volumes path), replacing what is there. */
  upload(path: string, contents: ReadableStream<Uint8Array>): Promise<void>;
  /** Statement Execution API: runs one statement to its end; the rows of its result as text. */
  sql(statement: string): Promise<Array<Array<string | null>>>;
  /** Unity Catalog: whether a catalog, schema or volume exists (the sync creates only what is missing). */
  exists(type: ContainerType, fullName: string): Promise<boolean>;
  /**
   * Where bronze files land as EXTERNAL tables (see names.ts, externalLocation): a path the Files API
   * writes and `CREATE TABLE ... LOCATION` may point at; absent: bronze is loaded with read_files.
   */
  readonly externalLocation?: string | undefined;
  /** Ends what was made for this use of the target (the owner's short-lived token); absent: nothing to end. */
  release?(): Promise<void>;
}

export type ContainerType = 'catalog' | 'schema' | 'volume';

/** A statement the target answered with FAILED, CANCELED or CLOSED; `code` is its error_code. */
export class StatementFailed extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Error codes no retry can mend: the principal lacks a privilege (retried only when asked again). */
const PERMANENT_CODES: ReadonlySet<string> = new Set(['PERMISSION_DENIED', 'INSUFFICIENT_PERMISSIONS', 'UNAUTHENTICATED']);

/** A failure that fails the sync at once instead of being retried: a missing privilege on the target. */
export function isPermanentFailure(err: unknown): boolean {
  if (err instanceof StatementFailed) return err.code !== undefined && PERMANENT_CODES.has(err.code);
  if (err instanceof ApiError) return PERMANENT_CODES.has(err.errorCode) || err.statusCode === 403;
  if (err instanceof WorkspaceApiError) return err.status === 403;
  return err instanceof Error && 'permanent' in err && err.permanent === true;
}

const TERMINAL: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);
/** How long one statement may run before the sync gives up on it (wall clock). */
const STATEMENT_TIMEOUT_MS = 30 * 60_000;
const POLL_MS = 500;

async function pickWarehouse(w: WorkspaceClient, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const all: sql.EndpointInfo[] = [];
  for await (const wh of w.warehouses.list({})) all.push(wh);
  const running = all.find((wh) => wh.state === 'RUNNING') ?? all[0];
  if (!running?.id) throw new Error('the target workspace has no SQL warehouse: create one, or name one with --datasets-warehouse');
  return running.id;
}

function rowsOf(r: sql.StatementResponse): Array<Array<string | null>> {
  return (r.result?.data_array ?? []) as Array<Array<string | null>>;
}

/** A SyncTarget over an SDK client; `warehouseId` absent: the first running warehouse. */
export function sdkTarget(w: WorkspaceClient, host: string, warehouseId?: string, externalLocation?: string): SyncTarget {
  let warehouse: Promise<string> | undefined;
  const warehouseOnce = () => {
    warehouse ??= pickWarehouse(w, warehouseId);
    warehouse.catch(() => (warehouse = undefined));
    return warehouse;
  };
  return {
    host,
    externalLocation,
    async upload(path, contents) {
      // files.upload of SDK 0.14.2 sends no body at all: the same PUT through its ApiClient (repaired in
      // src/client/sdk.ts, which streams a ReadableStream payload)
      await w.apiClient.request({
        path: `/api/2.0/fs/files${path.split('/').map(encodeURIComponent).join('/')}`,
        method: 'PUT',
        headers: new Headers({ 'Content-Type': 'application/octet-stream' }),
        raw: false,
        query: { overwrite: 'true' },
        payload: contents,
      });
    },
    async sql(statement) {
      const warehouse_id = await warehouseOnce();
      let r = await w.statementExecution.executeStatement({ statement, warehouse_id, wait_timeout: '50s', on_wait_timeout: 'CONTINUE', disposition: 'INLINE', format: 'JSON_ARRAY' });
      const deadline = Date.now() + STATEMENT_TIMEOUT_MS;
      while (!TERMINAL.has(r.status?.state ?? '')) {
        if (Date.now() > deadline) {
          await w.statementExecution.cancelExecution({ statement_id: r.statement_id! }).catch(() => undefined);
          throw new StatementFailed(`statement ${r.statement_id} still running after ${STATEMENT_TIMEOUT_MS / 60_000} minutes: cancelled`);
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        r = await w.statementExecution.getStatement({ statement_id: r.statement_id! });
      }
      if (r.status?.state !== 'SUCCEEDED') {
        const e = r.status?.error;
        throw new StatementFailed(`${r.status?.state}: ${e?.error_code ?? ''} ${e?.message ?? ''}`.trim(), e?.error_code);
      }
      return rowsOf(r);
    },
    async exists(type, fullName) {
      try {
        if (type === 'catalog') await w.catalogs.get({ name: fullName });
        else if (type === 'schema') await w.schemas.get({ full_name: fullName });
        else await w.volumes.read({ name: fullName });
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 404) return false;
        throw err;
      }
    },
  };
}

/** A short, single-line description of a failure, for `last_sync_error`. */
export function describeFailure(err: unknown): string {
  const text = errorMessage(err).replace(/\s+/g, ' ').trim();
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
