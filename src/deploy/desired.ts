/**
 * What deploy writes for one job: the project's settings plus the ownership tags, with
 * `${resources.jobs.<key>.id|name}` references resolved, and the hash tag that lets the next
 * deploy skip it without reading it.
 */
import {
  isObject,
  MAX_JOB_TAGS,
  MAX_TAG_VALUE,
  normalizeSettings,
  settingsHash,
  TAG_HASH,
  TAG_PREVENT_DESTROY,
  TAG_PROJECT,
  TAG_RESOURCE,
  toJson,
  type Json,
  type JsonObject,
} from './settings.js';

export interface DesiredJob {
  resourceKey: string;
  /** Jobs API settings including our project/resource tags, references possibly unresolved */
  settings: JsonObject;
  /** bundle `permissions` (applied with the permissions API), when configured */
  permissions?: Json[];
  /** why this job cannot be deployed whatever the workspace holds (tag limits, reserved tags) */
  problems: string[];
}

export interface FinalSettings {
  /** settings to send, including the hash tag */
  settings: JsonObject;
  hash: string;
}

const REF = /\$\{resources\.jobs\.([A-Za-z0-9_-]+)\.([a-z_]+)\}/g;
const WHOLE_REF = /^\$\{resources\.jobs\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

/** Problems that make a job undeployable whatever the workspace holds. */
function checkTags(resourceKey: string, tags: JsonObject, owner: string, ownTags: number): string[] {
  const problems: string[] = [];
  for (const k of Object.keys(tags)) {
    if (k.startsWith('brickyard-')) problems.push(`job '${resourceKey}': tag '${k}' is reserved for brickyard's ownership tags`);
  }
  const count = Object.keys(tags).length + ownTags;
  if (count > MAX_JOB_TAGS) {
    problems.push(`job '${resourceKey}' has ${count - ownTags} tags; with brickyard's ${ownTags} ownership tags that exceeds Databricks' limit of ${MAX_JOB_TAGS}`);
  }
  if (owner.length > MAX_TAG_VALUE) problems.push(`ownership tag value '${owner.slice(0, 40)}…' is longer than ${MAX_TAG_VALUE} characters; use a shorter bundle name or target`);
  if (resourceKey.length > MAX_TAG_VALUE) problems.push(`resource key '${resourceKey.slice(0, 40)}…' is longer than ${MAX_TAG_VALUE} characters`);
  return problems;
}

/**
 * Settings from the project with our ownership tags added, minus the bundle-only `permissions`
 * (applied through the permissions API) and `lifecycle` (a deployment setting that destroy and
 * pruning honour; `prevent_destroy` travels as a tag so it outlives the configuration).
 */
export function desiredJob(resourceKey: string, projectSettings: unknown, owner: string): DesiredJob {
  const json = toJson(projectSettings);
  const settings: JsonObject = isObject(json) ? json : {};
  const permissions = settings['permissions'];
  const lifecycle = settings['lifecycle'];
  const protect = isObject(lifecycle) && lifecycle['prevent_destroy'] === true;
  delete settings['permissions'];
  delete settings['lifecycle'];
  const tags = isObject(settings['tags']) ? settings['tags'] : {};
  const problems = checkTags(resourceKey, tags, owner, protect ? 4 : 3);
  settings['tags'] = { ...tags, [TAG_PROJECT]: owner, [TAG_RESOURCE]: resourceKey, ...(protect ? { [TAG_PREVENT_DESTROY]: 'true' } : {}) };
  const out: DesiredJob = { resourceKey, settings, problems };
  if (Array.isArray(permissions) && permissions.length > 0) out.permissions = permissions;
  return out;
}

/** Job keys this job's settings refer to through `${resources.jobs.<key>.*}`. */
export function referencedJobs(settings: Json): Set<string> {
  const out = new Set<string>();
  const visit = (v: Json): void => {
    if (typeof v === 'string') for (const m of v.matchAll(REF)) out.add(m[1] as string);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) Object.values(v).forEach(visit);
  };
  visit(settings);
  return out;
}

export interface KnownJob {
  jobId: number;
  name: string;
}

export class UnresolvedReference extends Error {}

function resolve(v: Json, known: ReadonlyMap<string, KnownJob>): Json {
  if (typeof v === 'string') {
    const lookup = (key: string, field: string): Json => {
      const job = known.get(key);
      if (job === undefined) throw new UnresolvedReference(key);
      if (field === 'id') return job.jobId;
      if (field === 'name') return job.name;
      throw new Error(`\${resources.jobs.${key}.${field}} is not supported; brickyard resolves .id and .name`);
    };
    const whole = WHOLE_REF.exec(v);
    if (whole) return lookup(whole[1] as string, whole[2] as string);
    return v.replace(REF, (_m, key: string, field: string) => String(lookup(key, field)));
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, known));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolve(x, known);
    return out;
  }
  return v;
}

/**
 * The settings to send and their hash, or the key of a referenced job that has no id yet.
 * The hash covers the normalised settings (without the hash tag) and the permissions.
 */
export function finalizeDesired(
  job: DesiredJob,
  known: ReadonlyMap<string, KnownJob>,
  currentUser?: string,
): FinalSettings | { unresolved: string } {
  let resolved: JsonObject;
  try {
    resolved = resolve(job.settings, known) as JsonObject;
  } catch (err) {
    if (err instanceof UnresolvedReference) return { unresolved: err.message };
    throw err;
  }
  const hash = hashOf(resolved, job.permissions, currentUser);
  const tags = isObject(resolved['tags']) ? resolved['tags'] : {};
  return { settings: { ...resolved, tags: { ...tags, [TAG_HASH]: hash } }, hash };
}

/** The hash stored in the `brickyard-hash` tag; permissions are part of what we deploy. */
export function hashOf(settings: unknown, permissions: Json[] | undefined, currentUser?: string): string {
  const normalized = normalizeSettings(settings, { currentUser });
  if (permissions !== undefined) normalized['permissions'] = normalizeSettings({ permissions })['permissions'] ?? [];
  return settingsHash(normalized);
}
