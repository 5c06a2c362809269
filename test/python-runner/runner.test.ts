// Tests for the local-workspace Python task runner (python/brickyard_runner).
//
// The runner is a real `python3` process; the workspace API it calls (workspace export,
// secrets, SQL statements) is a tiny in-test HTTP double whose answers each test controls.
// Set BRICKYARD_TEST_PYTHONS="python3,/usr/bin/python3,..." to run the suite under several
// interpreters (default: python3 on PATH).

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RUNNER = join(REPO, "python", "brickyard_runner");
const TOKEN = "dapi-test-token-0123456789";
const WAREHOUSE = "wh-local-1";
const PYTHONS = (process.env["BRICKYARD_TEST_PYTHONS"] ?? "python3")
  .split(",")
  .map((p) => p.trim())
  .filter((p) => p.length > 0);

interface RunnerResult {
  status: "SUCCESS" | "FAILED";
  result: string | null;
  task_values: Record<string, unknown>;
  error: string | null;
  error_trace: string | null;
  timed_out: boolean;
  cancelled: boolean;
}

interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  result: RunnerResult;
}

interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

type Handler = (req: RecordedRequest) => { status?: number; body: unknown } | undefined;

// ---------------------------------------------------------------------------------------------
// Fake workspace API

let server: Server;
let host = "";
let requests: RecordedRequest[] = [];
let notebooks = new Map<string, string>();
let secrets = new Map<string, string>();
let sqlHandler: Handler | undefined;

function nb(...cells: string[]): string {
  return "# Databricks notebook source\n" + cells.join("\n\n# COMMAND ----------\n\n") + "\n";
}

function route(req: RecordedRequest): { status?: number; body: unknown } {
  if (req.headers["authorization"] !== `Bearer ${TOKEN}`) {
    return { status: 401, body: { error_code: "UNAUTHENTICATED", message: "bad token" } };
  }
  if (req.method === "GET" && req.path === "/api/2.0/workspace/export") {
    const path = req.query.get("path") ?? "";
    const source = notebooks.get(path);
    if (source === undefined) {
      return { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Path (${path}) doesn't exist.` } };
    }
    return { body: { content: Buffer.from(source).toString("base64"), file_type: "py" } };
  }
  if (req.method === "GET" && req.path === "/api/2.0/secrets/get") {
    const key = `${req.query.get("scope")}/${req.query.get("key")}`;
    const value = secrets.get(key);
    if (value === undefined) {
      return {
        status: 404,
        body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Secret does not exist with scope: ${req.query.get("scope")} and key: ${req.query.get("key")}` },
      };
    }
    return { body: { key: req.query.get("key"), value: Buffer.from(value).toString("base64") } };
  }
  if (req.method === "GET" && req.path === "/api/2.0/secrets/list") {
    const scope = req.query.get("scope") ?? "";
    const keys = [...secrets.keys()].filter((k) => k.startsWith(scope + "/")).map((k) => ({ key: k.slice(scope.length + 1) }));
    return { body: { secrets: keys } };
  }
  if (req.path.startsWith("/api/2.0/sql/statements") && sqlHandler) {
    const answer = sqlHandler(req);
    if (answer) return answer;
  }
  return { status: 404, body: { error_code: "ENDPOINT_NOT_FOUND", message: `No API found for '${req.method} ${req.path}'` } };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const raw = Buffer.concat(chunks).toString("utf8");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as unknown) : undefined,
    };
    requests.push(recorded);
    const answer = route(recorded);
    res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
}

// ---------------------------------------------------------------------------------------------
// Running the runner

let work = "";

function runTask(python: string, task: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<RunOutcome> {
  const dir = mkdtempSync(join(work, "run-"));
  const taskFile = join(dir, "task.json");
  const resultFile = join(dir, "result.json");
  writeFileSync(
    taskFile,
    JSON.stringify({
      kind: "notebook",
      path: "/Users/alice@example.com/main",
      language: "PYTHON",
      parameters: {},
      task_values: {},
      job: { job_id: 11, run_id: 22, task_key: "this_task" },
      timeout_seconds: 0,
      ...task,
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    PYENV_ROOT: process.env["PYENV_ROOT"],
    DATABRICKS_HOST: host,
    DATABRICKS_TOKEN: TOKEN,
    BRICKYARD_RESULT_FILE: resultFile,
    BRICKYARD_DBFS_ROOT: join(work, "dbfs"),
    BRICKYARD_VOLUMES_ROOT: join(work, "volumes"),
    BRICKYARD_WAREHOUSE_ID: WAREHOUSE,
    ...extraEnv,
  };
  return new Promise((resolvePromise, reject) => {
    // async spawn: the fake API lives in this process and must keep answering
    const child = spawn(python, [RUNNER, taskFile], { env, cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      if (!existsSync(resultFile)) {
        reject(new Error(`no result file (exit ${code})\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      const result = JSON.parse(readFileSync(resultFile, "utf8")) as RunnerResult;
      resolvePromise({ code, stdout, stderr, result });
    });
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "brickyard-runner-test-"));
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  notebooks = new Map();
  secrets = new Map();
  sqlHandler = undefined;
  rmSync(join(work, "dbfs"), { recursive: true, force: true });
  rmSync(join(work, "volumes"), { recursive: true, force: true });
});

afterEach(() => {
  sqlHandler = undefined;
});

// ---------------------------------------------------------------------------------------------

describe.each(PYTHONS)("brickyard_runner (%s)", (python) => {
  it("resolves widgets from parameters, then defaults, and rejects unknown widgets", async () => {
    const out = await runTask(python, {
      parameters: { env: "prod", only_param: "p1" },
      source: nb(
        `dbutils.widgets.text("env", "dev", "Environment")
dbutils.widgets.dropdown("mode", "fast", ["fast", "slow"])
print("env=" + dbutils.widgets.get("env"))
print("mode=" + dbutils.widgets.get("mode"))
print("only=" + dbutils.widgets.get("only_param"))
print("arg=" + str(getArgument("missing", "fallback")))
print("all=" + str(sorted(dbutils.widgets.getAll().items())))`,
        `dbutils.widgets.remove("mode")
dbutils.widgets.get("mode")`,
      ),
    });
    expect(out.stdout).toContain("env=prod\n");
    expect(out.stdout).toContain("mode=fast\n");
    expect(out.stdout).toContain("only=p1\n");
    expect(out.stdout).toContain("arg=fallback\n");
    expect(out.stdout).toContain("all=[('env', 'prod'), ('mode', 'fast'), ('only_param', 'p1')]");
    expect(out.code).toBe(1);
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toBe("InputWidgetNotDefined: No input widget named mode is defined");
  });

  it("records dbutils.notebook.exit as the result and stops the notebook", async () => {
    const out = await runTask(python, {
      source: nb(`print("before")`, `dbutils.notebook.exit({"rows": 3})`, `print("after")`),
    });
    expect(out.code).toBe(0);
    expect(out.result).toMatchObject({ status: "SUCCESS", result: "{'rows': 3}", error: null, error_trace: null });
    expect(out.stdout).toContain("before");
    expect(out.stdout).not.toContain("after");
  });

  it("sets and gets task values", async () => {
    const out = await runTask(python, {
      task_values: { ingest: { row_count: 42, tables: ["a", "b"] } },
      source: nb(
        `n = dbutils.jobs.taskValues.get(taskKey="ingest", key="row_count")
print("n=%d" % n)
print("d=" + dbutils.jobs.taskValues.get("ingest", "nope", default="dflt"))
dbutils.jobs.taskValues.set("doubled", n * 2)
dbutils.jobs.taskValues.set("meta", {"tables": dbutils.jobs.taskValues.get("ingest", "tables")})`,
        `try:
    dbutils.jobs.taskValues.get("ingest", "missing")
except ValueError as e:
    print("ValueError:", e)`,
        `dbutils.jobs.taskValues.set("bad", object())`,
      ),
    });
    expect(out.stdout).toContain("n=42\n");
    expect(out.stdout).toContain("d=dflt\n");
    expect(out.stdout).toMatch(/ValueError: .*taskKey='ingest', key='missing'/);
    // values set before the failure are still reported
    expect(out.result.task_values).toEqual({ doubled: 84, meta: { tables: ["a", "b"] } });
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toMatch(/^TypeError: task value 'bad' is not JSON serializable/);
  });

  it("inlines %run notebooks into the same globals, resolving relative paths", async () => {
    notebooks.set(
      "/Users/alice@example.com/lib/helpers",
      nb(`GREETING = "hello from helpers"
def shout(s):
    return s.upper()
ARG = dbutils.widgets.get("who")`),
    );
    const out = await runTask(python, {
      source: nb(`# MAGIC %run ./lib/helpers $who="bob"`, `print(shout(GREETING), ARG)`),
    });
    expect(out.result.status).toBe("SUCCESS");
    expect(out.stdout).toContain("HELLO FROM HELPERS bob");
    const exports = requests.filter((r) => r.path === "/api/2.0/workspace/export");
    expect(exports).toHaveLength(1);
    expect(exports[0]?.query.get("path")).toBe("/Users/alice@example.com/lib/helpers");
    expect(exports[0]?.query.get("format")).toBe("SOURCE");
  });

  it("skips %md cells, runs %sh cells and fails on a non-zero %sh exit", async () => {
    const out = await runTask(python, {
      source: nb(
        `# MAGIC %md\n# MAGIC # Title\n# MAGIC this is not python`,
        `# MAGIC %sh\n# MAGIC echo "from shell $((40 + 2))"\n# MAGIC echo to-stderr >&2`,
        `print("python after sh")`,
        `# MAGIC %sh\n# MAGIC exit 3`,
        `print("unreachable")`,
      ),
    });
    expect(out.stdout).toContain("from shell 42\n");
    expect(out.stderr).toContain("to-stderr");
    expect(out.stdout).toContain("python after sh");
    expect(out.stdout).not.toContain("unreachable");
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toBe("ShellCommandFailed: %sh cell exited with status 3");
  });

  it("refuses %pip with a clear message", async () => {
    const out = await runTask(python, { source: nb(`# MAGIC %pip install requests`, `print("unreachable")`) });
    expect(out.code).toBe(1);
    expect(out.result.error).toContain(
      "%pip is not supported by the local workspace: install packages into the Python interpreter configured with --python",
    );
    expect(out.stdout).not.toContain("unreachable");
  });

  it("reads secrets through the API and redacts them from stdout/stderr", async () => {
    secrets.set("prod/db-password", "s3cr3t-Pa55");
    const out = await runTask(python, {
      source: nb(`import sys
pw = dbutils.secrets.get(scope="prod", key="db-password")
print(pw)
print(f"password is {pw}!")
for ch in pw:
    sys.stdout.write(ch)
sys.stdout.write("\\n")
print("err:" + pw, file=sys.stderr)
print("len", len(pw), [s.key for s in dbutils.secrets.list("prod")])
print(dbutils.notebook.entry_point.getDbutils().notebook().getContext().apiToken().get())
raise RuntimeError("failed with " + pw)`),
    });
    expect(out.stdout).not.toContain("s3cr3t-Pa55");
    expect(out.stderr).not.toContain("s3cr3t-Pa55");
    expect(out.stdout).toContain("[REDACTED]\npassword is [REDACTED]!\n[REDACTED]\n");
    expect(out.stderr).toContain("err:[REDACTED]");
    expect(out.stdout).toContain("len 11 ['db-password']");
    expect(out.stdout + out.stderr).not.toContain(TOKEN);
    expect(out.result.error).toBe("RuntimeError: failed with [REDACTED]");
    expect(out.result.error_trace).not.toContain("s3cr3t-Pa55");
    const get = requests.find((r) => r.path === "/api/2.0/secrets/get");
    expect(get?.query.get("scope")).toBe("prod");
    expect(get?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  });

  it("maps dbutils.fs onto the local dbfs/volumes roots and refuses traversal", async () => {
    mkdirSync(join(work, "volumes", "main", "raw", "landing"), { recursive: true });
    writeFileSync(join(work, "volumes", "main", "raw", "landing", "in.csv"), "a,b\n1,2\n");
    const out = await runTask(python, {
      source: nb(
        `dbutils.fs.put("dbfs:/tmp/out/hello.txt", "hello dbfs", overwrite=True)
dbutils.fs.mkdirs("/tmp/out/sub")
for f in dbutils.fs.ls("dbfs:/tmp/out"):
    print("LS", f.path, f.name, f.size)
print("HEAD", dbutils.fs.head("/dbfs/tmp/out/hello.txt"))
print("VOL", [f.name for f in dbutils.fs.ls("/Volumes/main/raw/landing")])
print("VOLHEAD", repr(dbutils.fs.head("dbfs:/Volumes/main/raw/landing/in.csv", 3)))
dbutils.fs.cp("/Volumes/main/raw/landing/in.csv", "dbfs:/tmp/copy.csv")
print("RM", dbutils.fs.rm("dbfs:/tmp/copy.csv"), dbutils.fs.rm("dbfs:/tmp/copy.csv"))
try:
    dbutils.fs.put("dbfs:/tmp/out/hello.txt", "again")
except FileExistsError as e:
    print("EXISTS", e)`,
        `dbutils.fs.head("dbfs:/tmp/../../etc/passwd")`,
      ),
    });
    expect(out.stdout).toContain("Wrote 10 bytes.");
    expect(out.stdout).toContain("LS dbfs:/tmp/out/hello.txt hello.txt 10\n");
    expect(out.stdout).toContain("LS dbfs:/tmp/out/sub/ sub/ 0\n");
    expect(out.stdout).toContain("HEAD hello dbfs\n");
    expect(out.stdout).toContain("VOL ['in.csv']");
    expect(out.stdout).toContain("VOLHEAD 'a,b'");
    expect(out.stdout).toContain("RM True False");
    expect(out.stdout).toContain("EXISTS File dbfs:/tmp/out/hello.txt already exists");
    expect(readFileSync(join(work, "dbfs", "tmp", "out", "hello.txt"), "utf8")).toBe("hello dbfs");
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toMatch(/^PermissionError: Path dbfs:\/tmp\/\.\.\/\.\.\/etc\/passwd escapes its root/);
  });

  it("runs spark.sql through the statement API: polling, two chunks, typed rows", async () => {
    const columns = [
      { name: "id", position: 0, type_name: "INT", type_text: "INT" },
      { name: "name", position: 1, type_name: "STRING", type_text: "STRING" },
      { name: "score", position: 2, type_name: "DOUBLE", type_text: "DOUBLE" },
      { name: "ok", position: 3, type_name: "BOOLEAN", type_text: "BOOLEAN" },
    ];
    let polls = 0;
    sqlHandler = (req) => {
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
print("COLUMNS", df.columns, df.count())
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
    const post = requests.find((r) => r.method === "POST" && r.path === "/api/2.0/sql/statements");
    expect(post?.body).toEqual({
      statement: "SELECT * FROM t WHERE id > :min",
      warehouse_id: WAREHOUSE,
      wait_timeout: "50s",
      on_wait_timeout: "CONTINUE",
      disposition: "INLINE",
      format: "JSON_ARRAY",
      parameters: [{ name: "min", value: "0", type: "BIGINT" }],
    });
    expect(polls).toBe(2);
    expect(requests.some((r) => r.path === "/api/2.0/sql/statements/st-1/result/chunks/1")).toBe(true);
  });

  it("raises on FAILED statements and on API errors", async () => {
    sqlHandler = (req) => {
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
    spark.sql("SELECT http_error")
except Exception as e:
    print("API", type(e).__name__, e.error_code, e.message)`,
        `spark.table("main.default.nope").collect()`,
      ),
    });
    expect(out.stdout).toContain("API DatabricksApiError INVALID_PARAMETER_VALUE warehouse nope does not exist");
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toBe("StatementExecutionError: [TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.");
    const statements = requests.filter((r) => r.method === "POST").map((r) => (r.body as { statement: string }).statement);
    expect(statements).toContain("SELECT * FROM `main`.`default`.`nope`");
  });

  it("runs %sql cells and SQL notebooks, binding widgets to :name markers", async () => {
    const seen: unknown[] = [];
    sqlHandler = (req) => {
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
    notebooks.set(
      "/Users/alice@example.com/child",
      nb(`dbutils.widgets.text("x", "0")
print("child sees x=" + dbutils.widgets.get("x"))
dbutils.notebook.exit(str(int(dbutils.widgets.get("x")) * 10))`),
    );
    notebooks.set("/Users/alice@example.com/slow", nb(`import time\nprint("slow started", flush=True)\ntime.sleep(30)`));
    notebooks.set("/Users/alice@example.com/broken", nb(`raise ValueError("child broke")`));
    const started = Date.now();
    const out = await runTask(python, {
      source: nb(
        `r = dbutils.notebook.run("./child", 60, {"x": 4})
print("child returned", repr(r))
print("fresh globals", "GREETING" not in dir())`,
        `from time import monotonic
t0 = monotonic()
try:
    dbutils.notebook.run("/Users/alice@example.com/slow", 1)
except Exception as e:
    print("timeout:", type(e).__name__, e, round(monotonic() - t0) < 10)`,
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
    expect(out.stdout).toContain("timeout: WorkflowException Notebook /Users/alice@example.com/slow timed out after 1 seconds True");
    expect(out.stdout).toContain("broken: WorkflowException Notebook /Users/alice@example.com/broken failed: ValueError: child broke");
    expect(out.result).toMatchObject({ status: "SUCCESS", result: "parent done" });
    expect(Date.now() - started).toBeLessThan(20_000);
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
