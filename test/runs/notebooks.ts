import { notebook } from './helpers.js';

/**
 * Notebooks the runs tests execute for real. `train` fits y ≈ 3x + 2 on seeded noise: with
 * pandas/scikit-learn when they import, otherwise an ordinary least-squares fit in pure Python.
 */

const TRAIN_CELLS = [
  `dbutils.widgets.text("model", "linear")
dbutils.widgets.text("n", "200")
dbutils.widgets.text("seed", "7")
dbutils.widgets.text("sleep", "0")`,
  `import json, random, time
model = dbutils.widgets.get("model")
n = int(dbutils.widgets.get("n"))
rng = random.Random(int(dbutils.widgets.get("seed")))
xs = [rng.uniform(0, 10) for _ in range(n)]
ys = [3.0 * x + 2.0 + rng.gauss(0, 0.5) for x in xs]
time.sleep(float(dbutils.widgets.get("sleep")))`,
  `try:
    import pandas as pd
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import LinearRegression
    df = pd.DataFrame({"x": xs, "y": ys})
    estimator = {"random_forest": RandomForestRegressor(n_estimators=20, random_state=0), "xgboost": GradientBoostingRegressor(random_state=0)}.get(model, LinearRegression())
    fit = estimator.fit(df[["x"]], df["y"])
    r2 = float(fit.score(df[["x"]], df["y"]))
    engine = "scikit-learn"
except ImportError:
    mx = sum(xs) / n
    my = sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    intercept = my - slope * mx
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    r2 = 1 - ss_res / ss_tot
    engine = "least-squares"
print(f"model={model} engine={engine} score={r2:.4f}")`,
  `dbutils.jobs.taskValues.set(key="r2", value=round(r2, 6))
dbutils.notebook.exit(json.dumps({"model": model, "engine": engine, "n": n, "r2": round(r2, 4)}))`,
];

export const TRAIN_SOURCE = notebook(...TRAIN_CELLS);

/** The same notebook as an .ipynb document (imported with format JUPYTER). */
export function trainJupyter(): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: TRAIN_CELLS.map((src, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: src.split('\n').map((line, j, all) => (j < all.length - 1 ? line + '\n' : line)),
    })),
  });
}

export const PREP_SOURCE = notebook(
  `dbutils.widgets.text("rows", "120")
rows = int(dbutils.widgets.get("rows"))
dbutils.jobs.taskValues.set(key="n", value=rows)
dbutils.jobs.taskValues.set(key="seed", value=11)
print("prepared", rows)`,
);

export const EVALUATE_SOURCE = notebook(
  `import json
r2 = dbutils.jobs.taskValues.get(taskKey="train", key="r2")
threshold = float(dbutils.widgets.get("threshold"))
verdict = "pass" if r2 >= threshold else "fail"
print("r2", r2, verdict)
dbutils.notebook.exit(json.dumps({"r2": r2, "verdict": verdict}))`,
);

export const COMPARE_SOURCE = notebook(
  `import json
scores = {k: dbutils.jobs.taskValues.get(taskKey=k, key="r2") for k in ["train_linear", "train_rf", "train_xgboost"]}
best = max(scores, key=scores.get)
dbutils.notebook.exit(json.dumps({"best": best, "scores": scores}))`,
);

export const SLEEP_SOURCE = notebook(
  `import time
dbutils.widgets.text("seconds", "30")
print("sleeping", flush=True)
time.sleep(float(dbutils.widgets.get("seconds")))
dbutils.notebook.exit("woke up")`,
);

export const FAIL_SOURCE = notebook(`raise ValueError("bad input data")`);

export const OK_SOURCE = notebook(`dbutils.notebook.exit("ok")`);
