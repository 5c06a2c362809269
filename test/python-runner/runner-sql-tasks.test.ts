// The local-workspace Python task runner (python/brickyard_runner): spark.sql and %sql, errors, python files, notebook.run and timeouts.
// A real python3 process against the fake API of ./harness.ts.
import { describe, expect, it } from "vitest";
import { fake, nb, runTask, WAREHOUSE, PYTHONS, useFakeWorkspace } from "./harness.js";

useFakeWorkspace();

describe.each(PYTHONS)("brickyard_runner (%s)", (python) => {
  it("runs spark.sql through the statement API: polling, two chunks, typed rows", async () => {
    const columns = [
      { name: "id", position: 0, type_name: "INT", type_text: "INT" },
      { name: "name", position: 1, type_name: "STRING", type_text: "STRING" },
      { name: "score", position: 2, type_name: "DOUBLE", type_text: "DOUBLE" },
      { name: "ok", position: 3, type_name: "BOOLEAN", type_text: "BOOLEAN" },
    ];
    let polls = 0;
    fake.sqlHandler = (req) => {
      if (req.method === "POST" && req.path === "/api/2.0/sql/statements") {
        return { body: { statement_id: "st-1", status: { state: "PENDING" } } };
      }
      if (req.method === "GET" && req.path === "/api/2.0/sql/statements/st-1") {
        polls += 1;
        if (polls < 2) return { body: { statement_id: "st-1", status: { state: "RUNNING" } } };
        return {
          body: {
            statement_id: "st-1",
            status: { state: "SUCCEEDED" },
            manifest: {
              format: "JSON_ARRAY",
              schema: { column_count: 4, columns },
              total_chunk_count: 2,
              total_row_count: 3,
              chunks: [
                { chunk_index: 0, row_offset: 0, row_count: 2 },
                { chunk_index: 1, row_offset: 2, row_count: 1 },
              ],
            },
            result: { chunk_index: 0, row_offset: 0, row_count: 2, next_chunk_index: 1, data_array: [["1", "ann", "1.5", "true"], ["2", null, "2.25", "false"]] },
          },
        };
      }
      if (req.method === "GET" && req.path === "/api/2.0/sql/statements/st-1/result/chunks/1") {
        return { body: { chunk_index: 1, row_offset: 2, row_count: 1, data_array: [["3", "cid", null, "true"]] } };
      }
      return undefined;
    };
    const out = await runTask(python, {
      source: nb(`df = spark.sql("SELECT * FROM t WHERE id > :min", args={"min": 0})
rows = df.collect()
print("COLUMNS", df.columns, len(rows))
print("ROW0", rows[0].id, rows[0]["name"], rows[0].score, rows[0].ok)
print("ROW1", rows[1])
print("ROW2", tuple(rows[2]), rows[2].asDict())
print("FIRST", df.first().name, len(df.head(2)))
df.show()
display(df)
try:
    df.toPandas()
    print("PANDAS ok")
except ImportError as e:
    print("PANDAS missing", "pandas" in str(e))`),
    });
    expect(out.result.status).toBe("SUCCESS");
    expect(out.stdout).toContain("COLUMNS ['id', 'name', 'score', 'ok'] 3");
    expect(out.stdout).toContain("ROW0 1 ann 1.5 True");
    expect(out.stdout).toContain("ROW1 Row(id=2, name=None, score=2.25, ok=False)");
    expect(out.stdout).toContain("ROW2 (3, 'cid', None, True) {'id': 3, 'name': 'cid', 'score': None, 'ok': True}");
    expect(out.stdout).toContain("FIRST ann 2");
    expect(out.stdout).toContain("| id|name|score|   ok|");
    expect(out.stdout).toContain("|  2|NULL| 2.25|false|");
    expect(out.stdout).toMatch(/PANDAS (ok|missing True)/);
    const post = fake.requests.find((r) => r.method === "POST" && r.path === "/api/2.0/sql/statements");
    expect(post?.body).toEqual({
      statement: "SELECT * FROM t WHERE id > :min",
      warehouse_id: WAREHOUSE,
      wait_timeout: "50s",
      on_wait_timeout: "CONTINUE",
      disposition: "INLINE",
      format: "JSON_ARRAY",
      parameters: [{ name: "min", value: "0", type: "BIGINT" }],
    });
    // queries are lazy: collect, first, head, show and display each send one statement (this fake answers all alike)
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(fake.requests.some((r) => r.path === "/api/2.0/sql/statements/st-1/result/chunks/1")).toBe(true);
  });

  it("raises on FAILED statements and on API errors", async () => {
    fake.sqlHandler = (req) => {
      if (req.method !== "POST" || req.path !== "/api/2.0/sql/statements") return undefined;
      const statement = (req.body as { statement: string }).statement;
      if (statement.includes("http_error")) {
        return { status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: "warehouse nope does not exist" } };
      }
      return {
        body: {
          statement_id: "st-2",
          status: { state: "FAILED", error: { error_code: "BAD_REQUEST", message: "[TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found." } },
        },
      };
    };
    const out = await runTask(python, {
      source: nb(
        `try:
    spark.sql("SELECT http_error").collect()  # queries are lazy: they run on an action
except Exception as e:
    print("API", type(e).__name__, e.error_code, e.message)`,
        `spark.table("main.default.nope").collect()`,
      ),
    });
    expect(out.stdout).toContain("API DatabricksApiError INVALID_PARAMETER_VALUE warehouse nope does not exist");
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toBe("StatementExecutionError: [TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.");
    const statements = fake.requests.filter((r) => r.method === "POST").map((r) => (r.body as { statement: string }).statement);
    expect(statements).toContain("SELECT * FROM `main`.`default`.`nope`");
  });

  it("runs %sql cells and SQL notebooks, binding widgets to :name markers", async () => {
    const seen: unknown[] = [];
    fake.sqlHandler = (req) => {
      if (req.method !== "POST") return undefined;
      seen.push(req.body);
      return {
        body: {
          statement_id: `st-${seen.length}`,
          status: { state: "SUCCEEDED" },
          manifest: { schema: { columns: [{ name: "n", position: 0, type_name: "LONG" }] }, total_chunk_count: 1 },
          result: { chunk_index: 0, data_array: [["7"]] },
        },
      };
    };
    const out = await runTask(python, {
      language: "SQL",
      parameters: { tbl: "orders" },
      source:
        "-- Databricks notebook source\nUSE CATALOG main;\nSELECT count(*) AS n FROM ${tbl} WHERE region = :region\n\n-- COMMAND ----------\n\n" +
        "-- MAGIC %python\n-- MAGIC print('sqldf', _sqldf.first().n)\n",
    });
    expect(out.result.error).toBeNull();
    expect(out.stdout).toContain("sqldf 7");
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ statement: "SELECT count(*) AS n FROM orders WHERE region = :region", catalog: "main" });
    // :region is not a widget/parameter -> no parameter sent
    expect((seen[1] as { parameters?: unknown }).parameters).toBeUndefined();
  });

  it("reports an exception as FAILED with error and error_trace", async () => {
    const out = await runTask(python, {
      source: nb(
        `def transform(rows):
    return [r["amount"] for r in rows]`,
        `print("start")
transform([{"amount": 1}, {"qty": 2}])`,
      ),
    });
    expect(out.code).toBe(1);
    expect(out.result.status).toBe("FAILED");
    expect(out.result.result).toBeNull();
    expect(out.result.error).toBe("KeyError: 'amount'");
    expect(out.result.error_trace).toContain("Traceback (most recent call last):");
    expect(out.result.error_trace).toContain('File "/Users/alice@example.com/main", line 8, in <module>');
    expect(out.result.error_trace).toContain('return [r["amount"] for r in rows]');
    expect(out.result.error_trace).not.toContain("brickyard_runner/notebook.py");
    expect(out.stderr).toContain("KeyError: 'amount'");
  });

  it("runs a python_file task with argv", async () => {
    const out = await runTask(python, {
      kind: "python_file",
      path: "/Workspace/Users/alice@example.com/etl/job.py",
      argv: ["--date", "2024-01-31", "--dry-run"],
      source: `import sys
import argparse
p = argparse.ArgumentParser()
p.add_argument("--date")
p.add_argument("--dry-run", action="store_true")
a = p.parse_args()
print("argv0", sys.argv[0])
print("date", a.date, "dry", a.dry_run, "name", __name__)
if a.dry_run:
    sys.exit(0)
raise SystemExit("not reached")
`,
    });
    expect(out.result).toMatchObject({ status: "SUCCESS", error: null });
    expect(out.stdout).toContain("argv0 /Workspace/Users/alice@example.com/etl/job.py");
    expect(out.stdout).toContain("date 2024-01-31 dry True name __main__");

    const failed = await runTask(python, { kind: "python_file", path: "/x.py", argv: [], source: "import sys\nsys.exit(4)\n" });
    expect(failed.code).toBe(1);
    expect(failed.result.error).toBe("SystemExit: 4");
  });

  it("runs dbutils.notebook.run children with arguments and enforces their timeout", async () => {
    fake.notebooks.set(
      "/Users/alice@example.com/child",
      nb(`dbutils.widgets.text("x", "0")
print("child sees x=" + dbutils.widgets.get("x"))
dbutils.notebook.exit(str(int(dbutils.widgets.get("x")) * 10))`),
    );
    // sleeps far past the test's timeout: the test can only finish if the 1-second timeout kills it
    fake.notebooks.set("/Users/alice@example.com/slow", nb(`import time\nprint("slow started", flush=True)\ntime.sleep(600)\nprint("slow finished")`));
    fake.notebooks.set("/Users/alice@example.com/broken", nb(`raise ValueError("child broke")`));
    const out = await runTask(python, {
      source: nb(
        `r = dbutils.notebook.run("./child", 60, {"x": 4})
print("child returned", repr(r))
print("fresh globals", "GREETING" not in dir())`,
        `try:
    dbutils.notebook.run("/Users/alice@example.com/slow", 1)
except Exception as e:
    print("timeout:", type(e).__name__, e)`,
        `try:
    dbutils.notebook.run("broken", 10)
except Exception as e:
    print("broken:", type(e).__name__, e)`,
        `dbutils.notebook.exit("parent done")`,
      ),
    });
    expect(out.stdout).toContain("child sees x=4");
    expect(out.stdout).toContain("child returned '40'");
    expect(out.stdout).toContain("slow started");
    expect(out.stdout).toContain("timeout: WorkflowException Notebook /Users/alice@example.com/slow timed out after 1 seconds");
    expect(out.stdout).not.toContain("slow finished");
    expect(out.stdout).toContain("broken: WorkflowException Notebook /Users/alice@example.com/broken failed: ValueError: child broke");
    expect(out.result).toMatchObject({ status: "SUCCESS", result: "parent done" });
  }, 30_000);

  it("enforces the task's timeout_seconds", async () => {
    const out = await runTask(python, {
      timeout_seconds: 1,
      source: nb(`import time
print("sleeping", flush=True)
try:
    time.sleep(30)
except Exception:
    print("user code must not swallow the timeout")`),
    });
    expect(out.code).toBe(1);
    expect(out.result).toMatchObject({ status: "FAILED", timed_out: true, error: "TaskTimeout: Task timed out after 1 seconds" });
    expect(out.stdout).not.toContain("must not swallow");
  }, 15_000);
});
