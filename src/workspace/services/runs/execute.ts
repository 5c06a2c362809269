import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Task } from '../../../api/job-settings.js';
import { ApiError, errorMessage } from '../../../core/errors.js';
import { SecretScope } from '../../../core/redact.js';
import { startRunnerProcess, type RunnerExit, type RunnerTask } from '../../runner/process.js';
import { dbfsRoot } from '../dbfs/locate.js';
import { realPathInside } from '../uc/storage.js';
import type { SandboxMounts } from '../../runner/sandbox.js';
import { canRunPath } from '../workspace/access.js';
import { normalizeWorkspacePath } from '../workspace/paths.js';
import { getFileBytes, getNotebookSource } from '../workspace/store.js';
import { principalNamed } from '../jobs/access.js';
import { announceTaskStart, markRunRunning, type AttemptOutcome } from './attempts.js';
import type { ActiveAttempt, EngineCore } from './engine-port.js';
import { OUTPUT_LIMIT_BYTES } from './model.js';
import { claimAttempt } from './leases.js';
import { checkLibraries, LibraryError } from './libraries.js';
import { notebookParameters, parameterMap, pythonArgv } from './params.js';
import { ReferenceError } from './references.js';
import { overridesOf, referenceContext, upstreamTaskValues } from './run-context.js';
import { findRun, listTaskRuns, updateTaskRun, type RunRow, type TaskRunRow } from './store.js';
import { mintRunToken, RunAsError } from './tokens.js';

/**
 * Executes one notebook_task / spark_python_task attempt in a brickyard_runner process. Returns
 * undefined when the attempt was no longer PENDING (cancelled or already handled).
 */
export async function executeProcessTask(engine: EngineCore, attempt: ActiveAttempt): Promise<AttemptOutcome | undefined> {
  const ctx = engine.ctx;
  const claimed = await engine.runLocks.run(attempt.runId, async () => {
    const run = await findRun(ctx, attempt.runId);
    const rows = await listTaskRuns(ctx, attempt.runId);
    const t = rows.find((r) => r.runId === attempt.taskRunId);
    if (!run || !t || t.lifeCycleState !== 'PENDING' || run.stopReason) return undefined;
    // the conditional claim is what makes one process, never two, execute the attempt
    if (!(await claimAttempt(ctx, t.runId, engine.ownerId))) return undefined;
    attempt.claimed = true;
    await markRunRunning(engine, run.runId);
    await announceTaskStart(engine, run.runId, t);
    const timeout = t.task.timeout_seconds ?? 0;
    if (timeout > 0) engine.setTimer(`timeout:${t.runId}`, ctx.clock.now() + timeout * 1000, () => engine.stopAttempt(t.runId, 'timeout'));
    return { run, rows, t };
  });
  if (!claimed) return undefined;
  const { run, rows, t } = claimed;
  const task = t.task;
  let prepared: Prepared;
  try {
    prepared = await prepare(engine, run, rows, t, task);
  } catch (err) {
    return setupFailure(err);
  }
  await updateTaskRun(ctx, t.runId, { resolved: prepared.resolved });
  if (attempt.stop) return { resultState: 'CANCELED', message: 'The run was cancelled.' };

  let token;
  try {
    token = await mintRunToken(ctx, run.runAsUserName, { taskRunId: t.runId, timeoutSeconds: Number(task.timeout_seconds ?? 0) });
  } catch (err) {
    return setupFailure(err);
  }
  const secrets = new SecretScope();
  secrets.add(token.tokenValue);
  attempt.secrets = secrets;
  const env: Record<string, string> = {
    DATABRICKS_HOST: ctx.config.host,
    DATABRICKS_TOKEN: token.tokenValue,
  };
  const warehouseId = ctx.services.sql.current?.warehouseId;
  if (warehouseId) env['BRICKYARD_WAREHOUSE_ID'] = warehouseId;

  const workDir = join(ctx.config.stateDir, 'runs', String(t.runId));
  // user code sees none of the state directory but its own work dir: dbutils.fs goes through the
  // DBFS and Files APIs with the run's token, so volume grants bind notebook code too
  const sandbox: SandboxMounts = { stateDir: ctx.config.stateDir, visible: [workDir] };
  // a private network: the API is reached through its Unix socket only
  if (ctx.config.apiSocketDir !== undefined) sandbox.apiSocketDir = ctx.config.apiSocketDir;
  const proc = startRunnerProcess({
    python: ctx.config.python,
    workDir,
    task: prepared.runnerTask,
    env,
    outputLimitBytes: OUTPUT_LIMIT_BYTES,
    sandbox,
  });
  attempt.proc = proc;
  await updateTaskRun(ctx, t.runId, { pid: proc.pid ?? null, execStartTime: ctx.clock.now() });
  if (attempt.stop) proc.terminate(engine.killGraceMs);
  const exit = await proc.exited;
  const outcome = outcomeOfExit(exit, ctx.clock.now(), secrets);
  if (prepared.setupLog.length > 0) outcome.logs = prepared.setupLog.join('\n') + '\n' + (outcome.logs ?? '');
  return outcome;
}

interface Prepared {
  runnerTask: RunnerTask;
  resolved: Record<string, unknown>;
  /** Lines shown before the process's own output (libraries found installed). */
  setupLog: string[];
}

async function prepare(engine: EngineCore, run: RunRow, rows: TaskRunRow[], t: TaskRunRow, task: Task): Promise<Prepared> {
  const ctx = engine.ctx;
  const refs = referenceContext(ctx, run, rows, t);
  const job = { job_id: run.jobId, run_id: t.runId, task_key: t.taskKey };
  const taskValues = upstreamTaskValues(rows, t.taskKey);
  if (task.notebook_task?.warehouse_id !== undefined) checkWarehouseId(engine, task.notebook_task.warehouse_id);
  const setupLog = await checkLibraries(ctx.config.python, t.task.libraries);
  if (task.notebook_task) {
    const nb = task.notebook_task;
    if (nb.source === 'GIT') throw new UnsupportedError('notebook_task with source GIT is not supported by the local workspace; import the notebook into the workspace and use source WORKSPACE.');
    const parameters = notebookParameters(task, parameterMap(run.jobParameters), overridesOf(run), refs);
    await assertRunAsMayRun(ctx, run.runAsUserName, nb.notebook_path);
    const notebook = await getNotebookSource(ctx, nb.notebook_path);
    return {
      runnerTask: { kind: 'notebook', path: notebook.path, source: notebook.sourceText, language: notebook.language, parameters, task_values: taskValues, job, run_as: run.runAsUserName },
      resolved: { notebook_task: { base_parameters: parameters } },
      setupLog,
    };
  }
  const py = task.spark_python_task!;
  if (py.source === 'GIT') throw new UnsupportedError('spark_python_task with source GIT is not supported by the local workspace; import the file into the workspace and use source WORKSPACE.');
  const argv = pythonArgv(task, overridesOf(run), refs);
  const source = await pythonFileText(engine, py.python_file, run.runAsUserName);
  return {
    runnerTask: { kind: 'python_file', path: py.python_file, source, argv, task_values: taskValues, job, run_as: run.runAsUserName },
    resolved: { spark_python_task: { parameters: argv } },
    setupLog,
  };
}

/** A workspace file, or a dbfs:/ file under the DBFS root (open to every user, as on Databricks). */
async function pythonFileText(engine: EngineCore, path: string, runAsUserName: string): Promise<string> {
  if (path.startsWith('dbfs:/')) {
    const root = dbfsRoot(engine.ctx);
    // symlinks resolved: a link planted in the DBFS root cannot lead the read out of it
    const file = realPathInside(root, resolve(root, '.' + path.slice('dbfs:'.length)));
    if (file === undefined) throw new NotFoundError(`File ${path} does not exist.`);
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new NotFoundError(`File ${path} does not exist.`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\//i.test(path)) throw new UnsupportedError(`python_file ${path}: only workspace and dbfs:/ paths are supported by the local workspace.`);
  await assertRunAsMayRun(engine.ctx, runAsUserName, path);
  return Buffer.from(await getFileBytes(engine.ctx, path)).toString('utf8');
}

/** The task's code is read on behalf of the run-as principal: it needs CAN_RUN on the notebook or file, as on Databricks. */
async function assertRunAsMayRun(ctx: EngineCore['ctx'], runAsUserName: string, rawPath: string): Promise<void> {
  const runAs = await principalNamed(ctx, runAsUserName);
  if (!runAs) throw new RunAsError(`The run-as principal ${runAsUserName} does not exist or is not active.`);
  const path = normalizeWorkspacePath(rawPath);
  if (!(await canRunPath(ctx, runAs, path))) throw new RunAsError(`User ${runAsUserName} does not have Run permissions on ${path}.`);
}

/**
 * notebook_task.warehouse_id: the notebook runs here either way, and its SQL goes to the local
 * warehouse, so only that warehouse's id is accepted.
 */
export function warehouseIdProblem(engine: EngineCore, id: string): string | undefined {
  const local = engine.ctx.services.sql.current?.warehouseId;
  if (local !== undefined && id === local) return undefined;
  return local !== undefined
    ? `notebook_task.warehouse_id ${id} is not a SQL warehouse of the local workspace; its one warehouse is ${local}: use that id or remove warehouse_id.`
    : `notebook_task.warehouse_id ${id}: the local workspace has no SQL warehouse running (the sql service is off); remove warehouse_id.`;
}

function checkWarehouseId(engine: EngineCore, id: string): void {
  const problem = warehouseIdProblem(engine, id);
  if (problem) throw new UnsupportedError(problem);
}

class UnsupportedError extends Error {}
class NotFoundError extends Error {}

function setupFailure(err: unknown): AttemptOutcome {
  const message = errorMessage(err);
  if (err instanceof UnsupportedError || err instanceof ReferenceError) {
    return { resultState: 'FAILED', message, error: message, termination: { code: 'INVALID_RUN_CONFIGURATION', type: 'CLIENT_ERROR' } };
  }
  if (err instanceof LibraryError) {
    return { resultState: 'FAILED', message, error: message, termination: { code: 'LIBRARY_INSTALLATION_ERROR', type: 'CLIENT_ERROR' } };
  }
  if (err instanceof NotFoundError || (err instanceof ApiError && err.status === 404)) {
    return { resultState: 'FAILED', message, error: message, termination: { code: 'RESOURCE_NOT_FOUND', type: 'CLIENT_ERROR' } };
  }
  if (err instanceof ApiError) {
    return { resultState: 'FAILED', message, error: message, termination: { code: 'INVALID_RUN_CONFIGURATION', type: 'CLIENT_ERROR' } };
  }
  if (err instanceof RunAsError) {
    return { resultState: 'FAILED', message, error: message, termination: { code: 'UNAUTHORIZED_ERROR', type: 'CLIENT_ERROR' } };
  }
  throw err;
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? text;
  return line.length > 1000 ? line.slice(0, 1000) + '…' : line;
}

/** The attempt's result; its own secrets (its token) are redacted from everything it produced. */
export function outcomeOfExit(exit: RunnerExit, now: number, secrets: SecretScope = new SecretScope()): AttemptOutcome {
  const logs = secrets.redact(exit.output);
  const clean = (text: string | null | undefined) => (text === null || text === undefined ? text : secrets.redactValues(text));
  const base = { logs, logsTruncated: exit.outputTruncated, execEndTime: now };
  const r = exit.result;
  if (r && r.status === 'SUCCESS') {
    return { ...base, resultState: 'SUCCESS', message: '', notebookResult: clean(r.result) ?? null, taskValues: r.task_values ?? {} };
  }
  if (r) {
    const error = clean(r.error) ?? 'The task failed.';
    return {
      ...base,
      resultState: 'FAILED',
      message: firstLine(error),
      error,
      errorTrace: clean(r.error_trace) ?? null,
      taskValues: r.task_values ?? {},
    };
  }
  const how = exit.spawnError ?? (exit.signal ? `The Python process was killed by ${exit.signal}` : `The Python process exited with code ${exit.exitCode} without reporting a result`);
  return { ...base, resultState: 'FAILED', message: how, error: how, termination: { code: 'DRIVER_ERROR', type: 'INTERNAL_ERROR' } };
}
