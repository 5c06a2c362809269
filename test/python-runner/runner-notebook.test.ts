// The local-workspace Python task runner (python/brickyard_runner): widgets, exit, task values, magics, secrets and dbutils.fs.
// A real python3 process against the fake API of ./harness.ts.
import { describe, expect, it } from "vitest";
import { fake, nb, runTask, TOKEN, PYTHONS, useFakeWorkspace } from "./harness.js";

useFakeWorkspace();

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
    fake.notebooks.set(
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
    const exports = fake.requests.filter((r) => r.path === "/api/2.0/workspace/export");
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
    fake.secrets.set("prod/db-password", "s3cr3t-Pa55");
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
    const get = fake.requests.find((r) => r.path === "/api/2.0/secrets/get");
    expect(get?.query.get("scope")).toBe("prod");
    expect(get?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  });

  it("sends dbutils.fs to the DBFS and Files APIs with the run's token; the server's refusals surface", async () => {
    // a tiny DBFS: path -> bytes; directories are the prefixes of its paths
    const files = new Map<string, Buffer>([["/tmp/out/sub/.keep", Buffer.from("")]]);
    const isDir = (p: string) => [...files.keys()].some((k) => k.startsWith(p.replace(/\/$/, "") + "/"));
    const info = (p: string) => ({ path: p, is_dir: isDir(p), file_size: files.get(p)?.length ?? 0, modification_time: 1700000000000 });
    const denied = { status: 403, body: { error_code: "PERMISSION_DENIED", message: "User u does not have READ VOLUME on Volume 'priv.s.v'." } };
    fake.apiHandler = (req) => {
      const path = req.query.get("path") ?? (req.body as { path?: string } | undefined)?.path ?? "";
      if (path.includes("..")) return { status: 400, body: { error_code: "INVALID_PARAMETER_VALUE", message: `Invalid path "${path}"` } };
      switch (`${req.method} ${req.path}`) {
        case "GET /api/2.0/dbfs/get-status":
          return files.has(path) || isDir(path) ? { body: info(path) } : { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `No file or directory exists on path ${path}.` } };
        case "GET /api/2.0/dbfs/list": {
          const names = new Set([...files.keys()].filter((k) => k.startsWith(path + "/")).map((k) => k.slice(path.length + 1).split("/")[0]!));
          return { body: { files: [...names].map((n) => info(`${path}/${n}`)) } };
        }
        case "GET /api/2.0/dbfs/read": {
          const data = files.get(path) ?? Buffer.from("");
          const offset = Number(req.query.get("offset"));
          const chunk = data.subarray(offset, offset + Number(req.query.get("length")));
          return { body: { bytes_read: chunk.length, data: chunk.toString("base64") } };
        }
        case "POST /api/2.0/dbfs/put":
          files.set(path, Buffer.from((req.body as { contents: string }).contents, "base64"));
          return { body: {} };
        case "POST /api/2.0/dbfs/mkdirs":
          files.set(`${path}/.keep`, Buffer.from(""));
          return { body: {} };
        case "POST /api/2.0/dbfs/delete":
          files.delete(path);
          return { body: {} };
        case "HEAD /api/2.0/fs/directories/Volumes/main/raw/landing/in.csv":
          return { status: 404, body: {} };
        case "HEAD /api/2.0/fs/files/Volumes/main/raw/landing/in.csv":
          return { body: {}, raw: "" };
        case "GET /api/2.0/fs/files/Volumes/main/raw/landing/in.csv":
          return { body: {}, raw: "a,b\n1,2\n" };
        case "HEAD /api/2.0/fs/directories/Volumes/priv/s/v/secret.txt":
        case "GET /api/2.0/fs/directories/Volumes/priv/s/v/secret.txt":
          return denied;
      }
      return undefined;
    };
    const out = await runTask(python, {
      source: nb(
        `dbutils.fs.put("dbfs:/tmp/out/hello.txt", "hello dbfs", overwrite=True)
dbutils.fs.mkdirs("/tmp/out/sub")
for f in dbutils.fs.ls("dbfs:/tmp/out"):
    print("LS", f.path, f.name, f.size)
print("HEAD", dbutils.fs.head("/dbfs/tmp/out/hello.txt"))
print("VOLHEAD", repr(dbutils.fs.head("dbfs:/Volumes/main/raw/landing/in.csv", 3)))
dbutils.fs.cp("/Volumes/main/raw/landing/in.csv", "dbfs:/tmp/copy.csv")
print("COPY", repr(dbutils.fs.head("dbfs:/tmp/copy.csv")))
print("RM", dbutils.fs.rm("dbfs:/tmp/copy.csv"), dbutils.fs.rm("dbfs:/tmp/copy.csv"))
dbutils.fs.put("file:/tmp/brickyard-runner-local.txt", "local", overwrite=True)
print("LOCAL", dbutils.fs.head("file:/tmp/brickyard-runner-local.txt"))
print("MOUNTS", [m.mountPoint for m in dbutils.fs.mounts()])
try:
    dbutils.fs.put("dbfs:/tmp/out/hello.txt", "again")
except FileExistsError as e:
    print("EXISTS", e)
try:
    dbutils.fs.head("/Volumes/priv/s/v/secret.txt")
except PermissionError as e:
    print("DENIED", e)`,
        `dbutils.fs.head("dbfs:/tmp/../../etc/passwd")`,
      ),
    });
    expect(out.stdout).toContain("Wrote 10 bytes.");
    expect(out.stdout).toContain("LS dbfs:/tmp/out/hello.txt hello.txt 10\n");
    expect(out.stdout).toContain("LS dbfs:/tmp/out/sub/ sub/ 0\n");
    expect(out.stdout).toContain("HEAD hello dbfs\n");
    expect(out.stdout).toContain("VOLHEAD 'a,b'");
    expect(out.stdout).toContain("COPY 'a,b\\n1,2\\n'");
    expect(out.stdout).toContain("RM True False");
    expect(out.stdout).toContain("LOCAL local\n");
    expect(out.stdout).toContain("MOUNTS ['/', '/Volumes']");
    expect(out.stdout).toContain("EXISTS File dbfs:/tmp/out/hello.txt already exists");
    expect(out.stdout).toContain("DENIED PERMISSION_DENIED: User u does not have READ VOLUME on Volume 'priv.s.v'.");
    expect(files.get("/tmp/out/hello.txt")?.toString()).toBe("hello dbfs");
    // every call carried the run's token; '..' went to the server as given, which refused it
    const fsCalls = fake.requests.filter((r) => r.path.startsWith("/api/2.0/dbfs/") || r.path.startsWith("/api/2.0/fs/"));
    expect(fsCalls.length).toBeGreaterThan(10);
    expect(fsCalls.every((r) => r.headers["authorization"] === `Bearer ${TOKEN}`)).toBe(true);
    expect(out.result.status).toBe("FAILED");
    expect(out.result.error).toBe('ValueError: INVALID_PARAMETER_VALUE: Invalid path "/tmp/../../etc/passwd"');
  });
});

describe.each(PYTHONS)("brickyard_runner missing libraries (%s)", (python) => {
  it("a ModuleNotFoundError names the interpreter, the module, its pip package and --python / BRICKYARD_PYTHON", async () => {
    const out = await runTask(python, { source: nb(`import sklearn_not_installed_here.linear_model`) });
    expect(out.code).toBe(1);
    expect(out.result.status).toBe("FAILED");
    const error = out.result.error ?? "";
    expect(error).toMatch(/^ModuleNotFoundError: No module named 'sklearn_not_installed_here' \(hint: the local workspace runs tasks with \S+python\S*, which cannot import 'sklearn_not_installed_here'/);
    expect(error).toContain("`brickyard up --python /path/to/venv/bin/python` or BRICKYARD_PYTHON=/path/to/venv/bin/python");
    expect(out.result.error_trace).toContain("hint: the local workspace runs tasks with");
  });

  it("names the pip package when it differs from the import name (sklearn → scikit-learn)", async () => {
    const out = await runTask(python, { source: nb(`import sys\nsys.modules["sklearn"] = None\nimport sklearn`) });
    // a module set to None in sys.modules raises ModuleNotFoundError with name 'sklearn', installed or not
    expect(out.result.error).toMatch(/install scikit-learn there \(\S+ -m pip install scikit-learn\)/);
  });
});
