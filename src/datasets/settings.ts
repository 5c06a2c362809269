import { parseVolumePath } from '../workspace/services/files/paths.js';
/**
 * How datasets sync, from the seed's settings (DATABRICKS_AUTO_SYNC, DATABRICKS_RETRY_ATTEMPTS,
 * DATABRICKS_RETRY_INTERVAL) and `up`'s options. Read once by `up`/`worker` from their
 * environment; nothing below reads process.env.
 */
export interface DatasetSettings {
  /** Sync every upload at once (an upload may still say sync=false). */
  autoSync: boolean;
  /** Attempts per sync before it is failed. */
  retryAttempts: number;
  /** Delay before the first retry (ms); each next one doubles. */
  retryIntervalMs: number;
  /** The catalog of a tenant, `{tenant}` replaced (one catalog per tenant). */
  catalogTemplate: string;
  /** The tenant of uploads that name none. */
  defaultTenant: string;
  /** The internal file endpoint's key (BRICKYARD_INTERNAL_API_KEY); absent: generated into the state directory. */
  internalApiKey?: string | undefined;
  /** Largest upload in bytes. */
  maxUploadBytes: number;
  /**
   * The sync worker inside the workspace's process (`up` runs one unless --no-datasets-worker):
   * the target is this workspace itself, or the workspace of `profile` (`up --datasets-profile`);
   * `externalLocation`: where that target keeps EXTERNAL bronze tables' files (see names.ts).
   */
  worker: false | { profile?: string | undefined; warehouseId?: string | undefined; leaseMs?: number | undefined; externalLocation?: string | undefined };
}

export const DEFAULT_DATASET_SETTINGS: DatasetSettings = {
  autoSync: true,
  retryAttempts: 3,
  retryIntervalMs: 300_000,
  catalogTemplate: 'datasets_{tenant}',
  defaultTenant: 'default',
  maxUploadBytes: 1024 * 1024 * 1024,
  worker: {},
};

/** A settings value from the environment that is not what it should be. */
export class DatasetSettingsError extends Error {}

/**
 * The bronze location as given (`--bronze-location`, BRICKYARD_DATASETS_BRONZE_LOCATION), checked
 * at start rather than by every sync failing later: a `/Volumes/<catalog>/<schema>/<volume>[/…]`
 * path with no `.`, `..`, empty segment, backslash, NUL or quote (it is written into SQL as a literal).
 */
export function checkBronzeLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const hint = 'give a /Volumes/<catalog>/<schema>/<volume>[/<dir>] path of a volume the uploaders may read and write';
  if (/['"\\\0]/.test(location)) throw new DatasetSettingsError(`Invalid bronze location ${JSON.stringify(location)}: quotes, backslashes and NUL are not allowed; ${hint}.`);
  try {
    parseVolumePath(location.replace(/\/+$/, ''));
  } catch (err) {
    throw new DatasetSettingsError(`Invalid bronze location ${JSON.stringify(location)}: ${err instanceof Error ? err.message : String(err)} (${hint}).`);
  }
  return location;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new DatasetSettingsError(`${name} must be true or false, got "${env[name]}"`);
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, max: number): number | undefined {
  const v = env[name]?.trim();
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new DatasetSettingsError(`${name} must be an integer from 1 to ${max}, got "${v}"`);
  return n;
}

/** The seed's settings from `env`; what is absent keeps its default. */
export function datasetSettingsFromEnv(env: NodeJS.ProcessEnv): Partial<DatasetSettings> {
  const out: Partial<DatasetSettings> = {};
  const auto = flag(env, 'DATABRICKS_AUTO_SYNC');
  const enabled = flag(env, 'DATABRICKS_SYNC_ENABLED');
  if (auto !== undefined) out.autoSync = auto;
  if (enabled === false) out.autoSync = false;
  const attempts = positiveInt(env, 'DATABRICKS_RETRY_ATTEMPTS', 100);
  if (attempts !== undefined) out.retryAttempts = attempts;
  const interval = positiveInt(env, 'DATABRICKS_RETRY_INTERVAL', 86_400);
  if (interval !== undefined) out.retryIntervalMs = interval * 1000;
  const catalog = env['BRICKYARD_DATASETS_CATALOG']?.trim();
  if (catalog) out.catalogTemplate = catalog;
  const key = env['BRICKYARD_INTERNAL_API_KEY'];
  if (key) out.internalApiKey = key;
  return out;
}
