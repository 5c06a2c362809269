import { randomBytes } from 'node:crypto';
import { DEFAULT_WAIT_TIMEOUT_MS, ExecuteStatementRequest, type ResultData, type StatementResponse } from '../../../api/sql.js';
import { apiErrors, errorMessage } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiRouter } from '../../http/router.js';
import type { SqlEngine } from '../../sql/engine.js';
import { SqlError } from '../../sql/errors.js';
import type { BoundParam } from '../../sql/translate.js';
import { parseTypeText } from '../../sql/types.js';
import { DEFAULT_CATALOG, DEFAULT_SCHEMA } from '../uc/store.js';
import type { Principal } from '../identity/principal.js';
import {
  expireStatements,
  insertStatement,
  loadStatement,
  markRunning,
  resultData,
  statementResponse,
  storeCanceled,
  storeFailure,
  storeSuccess,
} from './statement-store.js';
import { requireWarehouse } from './warehouses.js';

/** Statement Execution API 2.0: execute (sync up to wait_timeout, then async), poll, fetch chunks, cancel. */


function waitMillis(raw: string | null | undefined): number {
  if (raw === undefined || raw === null) return DEFAULT_WAIT_TIMEOUT_MS;
  const m = /^(\d+)s$/.exec(raw.trim());
  const seconds = m ? Number(m[1]) : NaN;
  if (!(seconds === 0 || (seconds >= 5 && seconds <= 50))) {
    throw apiErrors.invalidParameter(`Invalid wait_timeout '${raw}': use '0s' (asynchronous) or a value from '5s' to '50s'.`);
  }
  return seconds * 1000;
}

function boundParams(list: ExecuteStatementRequest['parameters']): Map<string, BoundParam> {
  const params = new Map<string, BoundParam>();
  for (const p of list ?? []) {
    let type;
    try {
      type = parseTypeText(p.type ?? 'STRING');
    } catch (err) {
      throw apiErrors.invalidParameter(`Invalid type '${p.type}' for parameter ${p.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const key = p.name.toLowerCase();
    if (params.has(key)) throw apiErrors.invalidParameter(`Parameter ${p.name} is given more than once.`);
    params.set(key, { type, value: p.value === undefined || p.value === null ? null : String(p.value) });
  }
  return params;
}

/** Databricks-style statement ids: 32 hex digits in UUID groups, time-ordered prefix. */
function newStatementId(now: number): string {
  const hex = now.toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface Running {
  done: Promise<void>;
  interrupt?: () => void;
  canceled: boolean;
  /** past its point of no return (data or catalog changed): a cancel no longer applies */
  committing: boolean;
}

export class StatementRunner {
  private running = new Map<string, Running>();
  private lastExpiry = 0;
  constructor(
    private readonly ctx: WorkspaceContext,
    private readonly engine: () => SqlEngine,
  ) {}

  async execute(principal: Principal, req: ExecuteStatementRequest): Promise<StatementResponse> {
    requireWarehouse(this.ctx, req.warehouse_id);
    if (req.disposition && req.disposition !== 'INLINE') {
      throw apiErrors.invalidParameter(`disposition ${req.disposition} is not supported by the local warehouse: results are returned INLINE only (up to 25 MiB).`);
    }
    if (req.format && req.format !== 'JSON_ARRAY') {
      throw apiErrors.invalidParameter(`format ${req.format} is not supported by the local warehouse: use JSON_ARRAY (ARROW_STREAM and CSV need EXTERNAL_LINKS).`);
    }
    const wait = waitMillis(req.wait_timeout);
    const params = boundParams(req.parameters);
    const now = this.ctx.clock.now();
    if (now - this.lastExpiry > 60_000) {
      this.lastExpiry = now;
      await expireStatements(this.ctx);
    }
    const id = newStatementId(now);
    await insertStatement(this.ctx, id, req.warehouse_id, principal, req.statement);
    const entry: Running = { done: Promise.resolve(), canceled: false, committing: false };
    this.running.set(id, entry);
    entry.done = this.run(id, entry, principal, req, params)
      .catch((err: unknown) => this.outcomeNotStored(id, err))
      .finally(() => this.running.delete(id));
    if (wait > 0) {
      const finished = await this.waitFor(entry.done, wait);
      if (!finished && req.on_wait_timeout === 'CANCEL') await this.cancel(id);
    }
    return statementResponse(this.ctx, await loadStatement(this.ctx, id, principal));
  }

  private async run(id: string, entry: Running, principal: Principal, req: ExecuteStatementRequest, params: Map<string, BoundParam>): Promise<void> {
    try {
      await markRunning(this.ctx, id);
      const result = await this.engine().execute(req.statement, {
        principal,
        catalog: (req.catalog ?? DEFAULT_CATALOG).toLowerCase(),
        schema: (req.schema ?? DEFAULT_SCHEMA).toLowerCase(),
        params,
        rowLimit: req.row_limit ?? undefined,
        byteLimit: req.byte_limit ?? undefined,
        onStart: (interrupt) => {
          entry.interrupt = interrupt;
          if (entry.canceled) interrupt();
        },
        // cancel and commit exclude each other: whichever comes first decides the outcome
        beginCommit: () => {
          if (entry.canceled) return false;
          entry.committing = true;
          return true;
        },
      });
      if (entry.canceled) return;
      await storeSuccess(this.ctx, id, result);
    } catch (err) {
      if (entry.canceled) return;
      if (err instanceof SqlError) {
        if (err.errorClass === 'OPERATION_CANCELED') await storeCanceled(this.ctx, id);
        else await storeFailure(this.ctx, id, err);
        return;
      }
      // the engine's bugs become a FAILED statement naming the problem, never a 500 on a later poll
      this.ctx.logger.error('SQL statement failed unexpectedly', { statementId: id, error: err instanceof Error ? err.message : String(err) });
      const message = err instanceof Error ? err.message : String(err);
      await storeFailure(this.ctx, id, new SqlError('INTERNAL_ERROR', `The local SQL warehouse hit an internal error: ${message}`, 'INTERNAL_ERROR'));
    }
  }

  /** Storing a statement's outcome failed (the database refused it): logged, and a plain failure stored if it can be. */
  private async outcomeNotStored(id: string, err: unknown): Promise<void> {
    this.ctx.logger.error('could not store the outcome of a SQL statement', { statementId: id, error: errorMessage(err) });
    await storeFailure(this.ctx, id, new SqlError('INTERNAL_ERROR', 'The local SQL warehouse could not store the outcome of this statement; see its log.', 'INTERNAL_ERROR')).catch(
      (again: unknown) => this.ctx.logger.error('could not store the failure of a SQL statement', { statementId: id, error: errorMessage(again) }),
    );
  }

  private waitFor(done: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const cancelTimer = this.ctx.clock.setTimer(ms, () => resolve(false));
      void done.then(() => {
        cancelTimer();
        resolve(true);
      });
    });
  }

  async cancel(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (entry) {
      // a write that committed reports SUCCEEDED (or its failure), never CANCELED: the data changed
      if (entry.committing) return;
      entry.canceled = true;
      entry.interrupt?.();
    }
    await storeCanceled(this.ctx, id);
  }

  /** Waits for every running statement (shutdown); statements past their commit finish and report. */
  async drain(): Promise<void> {
    for (const entry of this.running.values()) {
      if (entry.committing) continue;
      entry.canceled = true;
      entry.interrupt?.();
    }
    await Promise.allSettled([...this.running.values()].map((e) => e.done));
  }
}

export function statementRoutes(router: ApiRouter, ctx: WorkspaceContext, runner: StatementRunner): void {
  router.post('/api/2.0/sql/statements', { input: ExecuteStatementRequest }, async (c, req) => runner.execute(c.get('principal'), req));
  router.get('/api/2.0/sql/statements/:id', async (c): Promise<StatementResponse> => statementResponse(ctx, await loadStatement(ctx, c.req.param('id') ?? '', c.get('principal'))));
  router.get('/api/2.0/sql/statements/:id/result/chunks/:index', async (c): Promise<ResultData> => {
    const row = await loadStatement(ctx, c.req.param('id') ?? '', c.get('principal'));
    const raw = c.req.param('index') ?? '';
    if (!/^\d+$/.test(raw)) throw apiErrors.invalidParameter(`Invalid chunk index '${raw}': expected a non-negative integer.`);
    return resultData(ctx, row, Number(raw));
  });
  router.post('/api/2.0/sql/statements/:id/cancel', async (c) => {
    await loadStatement(ctx, c.req.param('id') ?? '', c.get('principal'));
    await runner.cancel(c.req.param('id') ?? '');
    return {};
  });
}
