import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkspace } from '../helpers/workspace.js';
import { createJob, importSource, outputOf, runNow, startRunsWorkspace, stateOf, taskByKey, waitForRun, type Json } from './helpers.js';

// The seed's ML_Regression_Training job: a train.ipynb imported as JUPYTER that reads widgets,
// trains a regression model, prints its R² score and exits with a value. The pandas/scikit-learn
// path needs an interpreter that has them: the first candidate that imports both is used through
// the workspace's python setting (`brickyard up --python`).

const ML_CANDIDATES = [process.env['BRICKYARD_TEST_ML_PYTHON'], 'python3', '/usr/bin/python3', '/usr/local/bin/python3'].filter((p): p is string => Boolean(p));

function hasMlStack(python: string): boolean {
  return spawnSync(python, ['-c', 'import pandas, sklearn'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

const ML_PYTHON = ML_CANDIDATES.find(hasMlStack);
const DEFAULT_HAS_ML = ML_PYTHON === 'python3';
const NO_ML = `no interpreter with pandas and scikit-learn (tried ${ML_CANDIDATES.join(', ')}; set BRICKYARD_TEST_ML_PYTHON): the scikit-learn path is not exercised`;
if (!ML_PYTHON) console.warn(`seed-train: ${NO_ML}`);

const WIDGETS = `dbutils.widgets.text("model_type", "linear_regression")
dbutils.widgets.text("test_size", "0.2")
dbutils.widgets.text("max_iterations", "100")
model_type = dbutils.widgets.get("model_type")
test_size = float(dbutils.widgets.get("test_size"))
max_iter = int(dbutils.widgets.get("max_iterations"))`;

const DATA = `import json, random
rng = random.Random(42)
xs = [rng.uniform(0, 10) for _ in range(300)]
ys = [3.0 * x + 2.0 + rng.gauss(0, 0.5) for x in xs]`;

/** The seed's cell: pandas + scikit-learn, as written for Databricks. */
const TRAIN_SKLEARN = `import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
data = pd.DataFrame({"x": xs, "y": ys})
X_train, X_test, y_train, y_test = train_test_split(data[["x"]], data["y"], test_size=test_size, random_state=0)
if model_type == "linear_regression":
    model = LinearRegression()
elif model_type == "random_forest":
    model = RandomForestRegressor(n_estimators=30, max_depth=max_iter, random_state=0)
model.fit(X_train, y_train)
score = float(model.score(X_test, y_test))
engine = "scikit-learn"`;

/** The same notebook for interpreters without the ML stack: ordinary least squares in Python. */
const TRAIN_PORTABLE = `try:
${TRAIN_SKLEARN.split('\n').map((l) => '    ' + l).join('\n')}
except ImportError:
    cut = int(len(xs) * (1 - test_size))
    tx, ty, vx, vy = xs[:cut], ys[:cut], xs[cut:], ys[cut:]
    mx, my = sum(tx) / len(tx), sum(ty) / len(ty)
    slope = sum((x - mx) * (y - my) for x, y in zip(tx, ty)) / sum((x - mx) ** 2 for x in tx)
    intercept = my - slope * mx
    mean = sum(vy) / len(vy)
    score = 1 - sum((y - (slope * x + intercept)) ** 2 for x, y in zip(vx, vy)) / sum((y - mean) ** 2 for y in vy)
    engine = "least-squares"`;

const REPORT = `print(f"R² Score: {score:.4f}")
dbutils.notebook.exit(json.dumps({"model_type": model_type, "test_size": test_size, "engine": engine, "score": round(score, 4)}))`;

function ipynb(trainCell: string): string {
  const cell = (cellType: 'markdown' | 'code', src: string, i: number) => ({
    cell_type: cellType,
    id: `c${i}`,
    metadata: {},
    source: src.split('\n').map((line, j, all) => (j < all.length - 1 ? line + '\n' : line)),
    ...(cellType === 'code' ? { execution_count: null, outputs: [] } : {}),
  });
  const cells = [cell('markdown', '# Train the regression model\nParameters come from widgets.', 0), ...[WIDGETS, DATA, trainCell, REPORT].map((s, i) => cell('code', s, i + 1))];
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, cells });
}

/** config/databricks_job_config.json from the seed. */
function seedDevJob(notebookPath: string, baseParameters: Record<string, string>): Json {
  return {
    name: 'ML_Regression_Training',
    tasks: [{ task_key: 'ml_training_task', notebook_task: { notebook_path: notebookPath, base_parameters: baseParameters, source: 'WORKSPACE' }, timeout_seconds: 3600 }],
    email_notifications: { no_alert_for_skipped_runs: false },
    format: 'MULTI_TASK',
    max_concurrent_runs: 1,
  };
}

async function runTraining(ws: TestWorkspace, path: string, params: Record<string, string>): Promise<{ result: Json; logs: string }> {
  const jobId = await createJob(ws, seedDevJob(path, params));
  const run = await waitForRun(ws, await runNow(ws, { job_id: jobId }), { timeoutMs: 120_000 });
  const task = taskByKey(run, 'ml_training_task');
  expect(stateOf(run), JSON.stringify(task['state'])).toMatchObject({ life: 'TERMINATED', result: 'SUCCESS' });
  const out = await outputOf(ws, Number(task['run_id']));
  return { result: JSON.parse(String((out['notebook_output'] as Json)['result'])) as Json, logs: String(out['logs']) };
}

describe('seed: ML_Regression_Training with train.ipynb', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await startRunsWorkspace();
    await importSource(ws, '/ml-regression-model-dev/notebooks/train.ipynb', ipynb(TRAIN_PORTABLE), { format: 'JUPYTER' });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('runs the dev job config on the default interpreter: widgets in, R² printed, exit value out', async () => {
    const { result, logs } = await runTraining(ws, '/ml-regression-model-dev/notebooks/train.ipynb', { test_size: '0.3' });
    expect(result).toMatchObject({ model_type: 'linear_regression', test_size: 0.3, engine: DEFAULT_HAS_ML ? 'scikit-learn' : 'least-squares' });
    expect(Number(result['score'])).toBeGreaterThan(0.95);
    expect(logs).toMatch(/R² Score: 0\.9\d{3}/);
  });
});

describe.skipIf(!ML_PYTHON)(ML_PYTHON ? `seed: train.ipynb with pandas + scikit-learn on ${ML_PYTHON}` : `seed: train.ipynb with pandas + scikit-learn (skipped: ${NO_ML})`, () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await startRunsWorkspace({ python: ML_PYTHON! });
    await importSource(ws, '/ml-regression-model-dev/notebooks/train.ipynb', ipynb(TRAIN_SKLEARN), { format: 'JUPYTER' });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('trains LinearRegression and RandomForestRegressor chosen by the model_type widget', async () => {
    for (const modelType of ['linear_regression', 'random_forest']) {
      const { result, logs } = await runTraining(ws, '/ml-regression-model-dev/notebooks/train.ipynb', { model_type: modelType, test_size: '0.25', max_iterations: '8' });
      expect(result).toMatchObject({ model_type: modelType, engine: 'scikit-learn', test_size: 0.25 });
      expect(Number(result['score'])).toBeGreaterThan(0.9);
      expect(logs).toContain('R² Score:');
    }
  });
});
