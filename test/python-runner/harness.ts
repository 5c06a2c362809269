// Harness for the local-workspace Python task runner tests (python/brickyard_runner).
//
// The runner is a real `python3` process; the workspace API it calls (workspace export,
// secrets, SQL statements) is a tiny in-test HTTP double whose answers each test controls.
// Set BRICKYARD_TEST_PYTHONS="python3,/usr/bin/python3,..." to run the suite under several
// interpreters (default: python3 on PATH).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RUNNER = join(REPO, "python", "brickyard_runner");
export const TOKEN = "dapi-test-token-0123456789";
export const WAREHOUSE = "wh-local-1";
export const PYTHONS = (process.env["BRICKYARD_TEST_PYTHONS"] ?? "python3")
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

/** `raw` answers bytes as they are (a Files API download) instead of JSON. */
export type Handler = (req: RecordedRequest) => { status?: number; body: unknown; raw?: string } | undefined;

// ---------------------------------------------------------------------------------------------
// Fake workspace API

let server: Server;
let host = "";

/** What the fake API saw and will answer; reset before each test. */
export const fake = {
  requests: [] as RecordedRequest[],
  notebooks: new Map<string, string>(),
  secrets: new Map<string, string>(),
  sqlHandler: undefined as Handler | undefined,
  /** answers any other request first (DBFS and Files API calls of dbutils.fs) */
  apiHandler: undefined as Handler | undefined,
  /** the per-file scratch directory */
  work: "",
};

export function nb(...cells: string[]): string {
  return "# Databricks notebook source\n" + cells.join("\n\n# COMMAND ----------\n\n") + "\n";
}

function route(req: RecordedRequest): { status?: number; body: unknown; raw?: string } {
  if (req.headers["authorization"] !== `Bearer ${TOKEN}`) {
    return { status: 401, body: { error_code: "UNAUTHENTICATED", message: "bad token" } };
  }
  if (req.method === "GET" && req.path === "/api/2.0/workspace/export") {
    const path = req.query.get("path") ?? "";
    const source = fake.notebooks.get(path);
    if (source === undefined) {
      return { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Path (${path}) doesn't exist.` } };
    }
    return { body: { content: Buffer.from(source).toString("base64"), file_type: "py" } };
  }
  if (req.method === "GET" && req.path === "/api/2.0/secrets/get") {
    const key = `${req.query.get("scope")}/${req.query.get("key")}`;
    const value = fake.secrets.get(key);
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
    const keys = [...fake.secrets.keys()].filter((k) => k.startsWith(scope + "/")).map((k) => ({ key: k.slice(scope.length + 1) }));
    return { body: { secrets: keys } };
  }
  if (fake.apiHandler) {
    const answer = fake.apiHandler(req);
    if (answer) return answer;
  }
  if (req.path.startsWith("/api/2.0/sql/statements") && fake.sqlHandler) {
    const answer = fake.sqlHandler(req);
    if (answer) return answer;
  }
  return { status: 404, body: { error_code: "ENDPOINT_NOT_FOUND", message: `No API found for '${req.method} ${req.path}'` } };
}

/** JSON bodies parsed; anything else (a Files API upload) kept as text. */
function parseBody(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
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
      body: raw ? parseBody(raw) : undefined,
    };
    fake.requests.push(recorded);
    const answer = route(recorded);
    if (answer.raw !== undefined) {
      res.writeHead(answer.status ?? 200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(answer.raw) });
      res.end(answer.raw);
      return;
    }
    res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
}

// ---------------------------------------------------------------------------------------------
// Running the runner


export function runTask(python: string, task: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<RunOutcome> {
  const dir = mkdtempSync(join(fake.work, "run-"));
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

/** Registers the fake API's lifecycle hooks for the calling test file. */
export function useFakeWorkspace(): void {
beforeAll(async () => {
  fake.work = mkdtempSync(join(tmpdir(), "brickyard-runner-test-"));
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(fake.work, { recursive: true, force: true });
});

beforeEach(() => {
  fake.requests = [];
  fake.notebooks = new Map();
  fake.secrets = new Map();
  fake.sqlHandler = undefined;
  fake.apiHandler = undefined;
});

afterEach(() => {
  fake.sqlHandler = undefined;
  fake.apiHandler = undefined;
});
}

//
