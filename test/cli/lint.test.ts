/** `brickyard lint` (issue 14 item 13): seed 002 naming conventions and seed 004 notebook checks, configurable in databricks.yml. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LintOutput } from '../../src/api/cli-project-output.js';
import { runCli } from '../helpers/cli.js';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'brickyard-lint-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TOKEN = `dapi${'0123456789abcdef'.repeat(2)}`;

function project(name: string, yml: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [rel, text] of Object.entries({ 'databricks.yml': yml, ...files })) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const JOBS = `bundle:
  name: lintme
resources:
  jobs:
    fraud_training:
      name: fraud-training-daily
      tasks:
        - task_key: train_model
          notebook_task:
            notebook_path: notebooks/good.py
    Bad:
      name: ML_Regression_Training
      tasks:
        - task_key: TrainModel
          notebook_task:
            notebook_path: notebooks/bad.py
            base_parameters:
              testSize: "0.2"
`;

const GOOD = `# Databricks notebook source
dbutils.widgets.text("catalog", "main")
catalog = dbutils.widgets.get("catalog")
spark.sql(f"CREATE OR REPLACE TABLE {catalog}.{schema}.bronze_orders AS SELECT 1 AS id")
df = spark.table("sales_dev.bronze.sales_transactions")
`;

const BAD = `# Databricks notebook source
host = "https://dbc-d8111651-e8b1.cloud.databricks.com"
token = "${TOKEN}"
dbutils.widgets.text("TestSize", "0.2")
df.write.saveAsTable("sales_dev.bronze.copy")
spark.sql("INSERT INTO databricks_course.shared_bronze.events SELECT * FROM x")
df.write.saveAsTable("Orders")
`;

describe('brickyard lint', () => {
  it('reports every convention break as file:line:col and exits 1', async () => {
    const dir = project('bad', JOBS + 'lint:\n  shared_catalogs: [sales_dev]\n', { 'notebooks/good.py': GOOD, 'notebooks/bad.py': BAD });
    const r = runCli(['lint'], { cwd: dir });
    expect(await r.code).toBe(1);
    const lines = r.stdout().trim().split('\n');
    expect(lines).toEqual([
      'databricks.yml:11:5: error identifiers — job key "Bad" is not snake_case (hint: e.g. fraud_training)',
      'databricks.yml:12:13: error jobs — job name "ML_Regression_Training" is not domain-action-frequency (hint: e.g. fraud-training-daily)',
      'databricks.yml:14:21: error identifiers — task key "TrainModel" is not snake_case (hint: e.g. train_model)',
      'databricks.yml:18:15: error identifiers — parameter name "testSize" is not snake_case (hint: e.g. test_size)',
      'notebooks/bad.py:2:9: error secrets — hard-coded workspace URL https://dbc-d8111651-e8b1.cloud.databricks.com (hint: take the host from DATABRICKS_HOST or the target (workspace.host), so the code runs in every workspace)',
      'notebooks/bad.py:3:10: error secrets — hard-coded Databricks token (hint: read it from a secret scope (dbutils.secrets.get) or DATABRICKS_TOKEN; revoke this token)',
      'notebooks/bad.py:4:1: error identifiers — widget name "TestSize" is not snake_case (hint: name parameters like customer_id)',
      expect.stringMatching(/^notebooks\/bad\.py:5:23: error shared-writes — writes to sales_dev\.bronze\.copy in the shared catalog sales_dev/),
      expect.stringMatching(/^notebooks\/bad\.py:6:24: error shared-writes — writes to databricks_course\.shared_bronze\.events in the shared schema shared_bronze/),
      expect.stringMatching(/^notebooks\/bad\.py:7:23: error tables — table name Orders is not catalog\.schema\.noun_noun/),
      'lint failed: 10 error(s), 0 warning(s)',
    ]);
    // the token itself is never printed
    expect(r.stdout()).not.toContain(TOKEN);
  });

  it('rules are configurable: off, a severity, a custom pattern; warnings alone exit 0', async () => {
    const yml = `${JOBS}lint:
  jobs: { pattern: "^[A-Z][A-Za-z_]+$", severity: warning }
  identifiers: off
  tables: { severity: warning }
  secrets: warning
  shared_writes: off
`;
    const dir = project('configured', yml, { 'notebooks/good.py': GOOD, 'notebooks/bad.py': BAD });
    const r = runCli(['lint', '--json'], { cwd: dir });
    expect(await r.code).toBe(0);
    const out = LintOutput.parse(JSON.parse(r.stdout()));
    expect(out.ok).toBe(true);
    expect(out.findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['warning jobs', 'warning secrets', 'warning secrets', 'warning tables']);
    expect(out.findings[0]?.message).toBe('job name "fraud-training-daily" is not /^[A-Z][A-Za-z_]+$/');
  });

  it('a clean project passes; an invalid lint section is a configuration error (exit 2)', async () => {
    const clean = project('clean', JOBS.split('    Bad:')[0]!, { 'notebooks/good.py': GOOD });
    const ok = runCli(['lint'], { cwd: clean });
    expect(await ok.code).toBe(0);
    expect(ok.stdout()).toBe('ok: 0 error(s), 0 warning(s)\n');

    const broken = project('broken', `${JOBS.split('    Bad:')[0]!}lint:\n  jobs: { severity: fatal }\n`, { 'notebooks/good.py': GOOD });
    const bad = runCli(['lint'], { cwd: broken });
    expect(await bad.code).toBe(2);
    expect(bad.stderr()).toMatch(/error BY_CONFIG: databricks\.yml:\d+:\d+: lint\.jobs/);
    // validate accepts the lint section as part of databricks.yml
    const v = runCli(['validate'], { cwd: clean });
    expect(await v.code).toBe(0);
    expect(v.stdout()).not.toContain('lint');
  });
});
