/**
 * Guards against invented fields: every field our zod schemas accept must exist in the Databricks
 * reference JSON schema of databricks.yml (and its enum values must be Databricks' values).
 * The reference file is large and is only read here, never shipped.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { referencePath, requireReference } from '../../test/helpers/reference.js';
import { arrayElement, objectShape, recordValue, schemaKind, unwrapSchema } from './schema-check.js';
import { CronScheduleSchema, JobSettingsSchema, SDK_ONLY_TASK_TYPES, TASK_TYPES, TaskSchema, TriggerSettingsSchema } from '../api/job-settings.js';
import { BundleJobSchema } from './schema.js';
import { BundleFileSchema, TargetSchema, unsupportedNote } from './schema-bundle.js';
import { BundleCatalogSchema, BundleSchemaSchema, BundleVolumeSchema } from './schema-uc.js';

const REF_PATH = referencePath('reference', 'databricks-api', 'databricks-bundle-jsonschema.json');
const SDK_PATH = referencePath('reference', 'databricks-api', 'databricks-sdk-py-0.133.0-api-surface.json');
const haveRef = requireReference('zod schemas vs the Databricks reference schema', [REF_PATH, SDK_PATH]);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function loadRef(): Json {
  return JSON.parse(fs.readFileSync(REF_PATH, 'utf8')) as Json;
}

/** Find definitions whose key ends with `suffix`, walking $defs/definitions. */
function findDefs(root: Json, suffix: string): Json[] {
  const out: Json[] = [];
  const walk = (node: unknown, depth: number) => {
    if (!isObj(node) || depth > 12) return;
    for (const [k, v] of Object.entries(node)) {
      if (k === suffix || k.endsWith(`/${suffix}`) || (k.endsWith(suffix) && k.charAt(k.length - suffix.length - 1) === '.')) {
        if (isObj(v)) out.push(v);
      }
      walk(v, depth + 1);
    }
  };
  walk(root['$defs'] ?? root['definitions'], 0);
  return out;
}

function resolve(root: Json, node: unknown): Json | undefined {
  let cur = node;
  for (let i = 0; i < 20 && isObj(cur) && typeof cur['$ref'] === 'string'; i++) {
    const parts = (cur['$ref'] as string).replace(/^#\//, '').split('/');
    let n: unknown = root;
    for (const p of parts) n = isObj(n) ? n[p] : undefined;
    cur = n;
  }
  return isObj(cur) ? cur : undefined;
}

/** The variant of a oneOf/anyOf with the wanted JSON type (string variants are `${var}` escapes). */
function variant(root: Json, node: unknown, want: 'object' | 'array' | 'enum'): Json | undefined {
  const n = resolve(root, node);
  if (n === undefined) return undefined;
  const options = [n, ...((n['oneOf'] ?? n['anyOf'] ?? []) as unknown[]).map((o) => resolve(root, o))];
  for (const o of options) {
    if (o === undefined) continue;
    if (want === 'enum' && Array.isArray(o['enum'])) return o;
    if (want === 'array' && o['type'] === 'array') return o;
    if (want === 'object' && (o['type'] === 'object' || isObj(o['properties']))) return o;
  }
  return undefined;
}

/** Walk a zod schema and the reference in parallel; collect paths the reference does not know. */
function compare(root: Json, schema: unknown, ref: unknown, path: string, problems: string[], skip: ReadonlySet<string> = new Set()): void {
  const kind = schemaKind(schema);
  const s = unwrapSchema(schema);
  if (kind === 'object') {
    const obj = variant(root, ref, 'object');
    if (obj === undefined) return void problems.push(`${path}: reference is not an object`);
    const props = isObj(obj['properties']) ? obj['properties'] : {};
    for (const [key, field] of Object.entries(objectShape(s)?.shape ?? {})) {
      const p = path === '' ? key : `${path}.${key}`;
      if (skip.has(p) || unsupportedNote(field) !== undefined) continue;
      if (!(key in props)) problems.push(`${p}: not in the reference schema`);
      else compare(root, field, props[key], p, problems, skip);
    }
  } else if (kind === 'array') {
    const arr = variant(root, ref, 'array');
    if (arr === undefined) return void problems.push(`${path}: reference is not an array`);
    compare(root, arrayElement(s), arr['items'], `${path}[]`, problems, skip);
  } else if (kind === 'record') {
    const obj = variant(root, ref, 'object');
    if (obj === undefined) return void problems.push(`${path}: reference is not a map`);
    if (isObj(obj['additionalProperties'])) compare(root, recordValue(s), obj['additionalProperties'], `${path}.*`, problems, skip);
  } else if (kind === 'enum') {
    const e = variant(root, ref, 'enum');
    const ours = Object.values((s as { _zod: { def: { entries: Record<string, string> } } })._zod.def.entries);
    if (e === undefined) {
      // a plain string in the reference (e.g. config.Mode) does not restrict values
      if (resolve(root, ref)?.['type'] !== 'string') problems.push(`${path}: reference has no enum`);
      return;
    }
    for (const v of ours) if (!(e['enum'] as unknown[]).includes(v)) problems.push(`${path}: value ${v} not in the reference enum`);
  }
}

/** Where the task types only the Python SDK surface has sit under `prefix` (a task, and the task of a for_each_task). */
const sdkOnlyTaskPaths = (prefix: string): string[] => SDK_ONLY_TASK_TYPES.flatMap((t) => [`${prefix}${t}`, `${prefix}for_each_task.task.${t}`]);

describe.skipIf(!haveRef)('zod schemas vs the Databricks reference schema', () => {
  const root = haveRef ? loadRef() : {};
  const jobDef = () => findDefs(root, 'resources.Job')[0];
  const taskDef = () => findDefs(root, 'jobs.Task')[0];

  it('finds the reference definitions', () => {
    expect(jobDef()).toBeDefined();
    expect(taskDef()).toBeDefined();
  });

  it('the comparison catches an invented field', () => {
    const problems: string[] = [];
    compare(root, TaskSchema.extend({ bogus_field: z.string().optional() }), taskDef(), '', problems, new Set(sdkOnlyTaskPaths('')));
    expect(problems).toEqual(['bogus_field: not in the reference schema']);
  });

  it('every task field exists in jobs.Task (recursively); the SDK-only task types are Task fields of the SDK surface', () => {
    const problems: string[] = [];
    compare(root, TaskSchema, taskDef(), '', problems, new Set(sdkOnlyTaskPaths('')));
    expect(problems).toEqual([]);
    const sdk = JSON.parse(fs.readFileSync(SDK_PATH, 'utf8')) as { jobs: { models: { Task: { fields: Array<{ name: string }> } } } };
    const sdkTaskTypes = sdk.jobs.models.Task.fields.map((f) => f.name).filter((k) => k.endsWith('_task'));
    expect([...TASK_TYPES].sort()).toEqual(sdkTaskTypes.sort());
  });

  it('every bundle job field exists in resources.Job (recursively)', () => {
    const problems: string[] = [];
    compare(root, BundleJobSchema, jobDef(), '', problems, new Set(sdkOnlyTaskPaths('tasks[].')));
    expect(problems).toEqual([]);
  });

  it('JobSettings fields exist in resources.Job, except format/edit_mode which bundles manage themselves', () => {
    const problems: string[] = [];
    compare(root, JobSettingsSchema, jobDef(), '', problems, new Set(['format', 'edit_mode', ...sdkOnlyTaskPaths('tasks[].')]));
    expect(problems).toEqual([]);
    // …and those two are real Jobs API enums
    compare(root, JobSettingsSchema.shape.format, findDefs(root, 'jobs.Format')[0], 'format', problems);
    compare(root, JobSettingsSchema.shape.edit_mode, findDefs(root, 'jobs.JobEditMode')[0], 'edit_mode', problems);
    expect(problems).toEqual([]);
  });

  it('format/edit_mode are JobSettings fields in the SDK API surface', () => {
    const sdk = JSON.parse(fs.readFileSync(SDK_PATH, 'utf8')) as { jobs: { models: { JobSettings: { fields: Array<{ name: string }> } } } };
    const names = sdk.jobs.models.JobSettings.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['format', 'edit_mode']));
  });

  // the other direction: a reference field we do not declare would reach the API only as an "unknown" warning
  it('declares every field of jobs.Task, resources.Job, CronSchedule and TriggerSettings; knows every task type', () => {
    const props = (def: Json | undefined) => Object.keys((variant(root, def, 'object')?.['properties'] ?? {}) as Json).sort();
    const declared = (schema: unknown) => Object.keys(objectShape(schema)?.shape ?? {});
    const missing = (def: Json | undefined, schema: unknown) => props(def).filter((k) => !declared(schema).includes(k));
    expect(missing(taskDef(), TaskSchema)).toEqual([]);
    expect(missing(jobDef(), BundleJobSchema)).toEqual([]);
    expect(missing(findDefs(root, 'jobs.CronSchedule')[0], CronScheduleSchema)).toEqual([]);
    expect(missing(findDefs(root, 'jobs.TriggerSettings')[0], TriggerSettingsSchema)).toEqual([]);
    expect(TASK_TYPES.filter((t) => !(SDK_ONLY_TASK_TYPES as readonly string[]).includes(t)).sort()).toEqual(props(taskDef()).filter((k) => k.endsWith('_task')));
  });

  it('catalogs, schemas and volumes have the fields of the bundle resources (plus brickyard lifecycle.mode and grants_mode)', () => {
    const problems: string[] = [];
    const ours = new Set(['lifecycle.mode', 'grants_mode']);
    compare(root, BundleCatalogSchema, findDefs(root, 'resources.Catalog')[0], '', problems, ours);
    compare(root, BundleSchemaSchema, findDefs(root, 'resources.Schema')[0], '', problems, ours);
    compare(root, BundleVolumeSchema, findDefs(root, 'resources.Volume')[0], '', problems, ours);
    expect(problems).toEqual([]);
  });

  it('databricks.yml fields exist in the reference (except our git_branches, lint and identity extensions)', () => {
    const problems: string[] = [];
    const rootSchema = { type: 'object', properties: root['properties'] };
    const extensions = ['identity', 'grants_mode', 'lint', ...['groups', 'users', 'service_principals', 'user_schemas'].flatMap((k) => [`resources.${k}`, `targets.*.resources.${k}`])];
    compare(root, BundleFileSchema, rootSchema, '', problems, new Set(['targets.*.git_branches', 'resources.jobs', ...extensions]));
    expect(problems).toEqual([]);
    expect(Object.keys(TargetSchema.shape)).toContain('git_branches');
  });
});
