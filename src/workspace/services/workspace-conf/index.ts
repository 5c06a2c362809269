import { inArray } from 'drizzle-orm';
import {
  GetWorkspaceConfRequest,
  SetWorkspaceConfRequest,
  UNSUPPORTED_WORKSPACE_CONF_KEYS,
  WORKSPACE_CONF_KEYS,
  type WorkspaceConf,
  type WorkspaceConfKey,
} from '../../../api/workspace-conf.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { ApiContext } from '../../http/router.js';
import type { ServiceModule } from '../../service.js';
import { workspaceConf } from './tables.js';

/** Reads the values the workspace honours (unset keys absent). */
export type WorkspaceConfReader = (keys: readonly WorkspaceConfKey[]) => Promise<Partial<Record<WorkspaceConfKey, string>>>;

declare module '../../wiring.js' {
  interface ServiceCapabilities {
    /** Provided by the workspace-conf service's init. */
    workspaceConf: WorkspaceConfReader;
  }
}

const isKnown = (key: string): key is WorkspaceConfKey => Object.hasOwn(WORKSPACE_CONF_KEYS, key);

/** Unknown keys are refused together, as Databricks does; keys it knows but we cannot honour, by name. */
function checkKeys(keys: readonly string[]): WorkspaceConfKey[] {
  const unsupported = keys.filter((k) => UNSUPPORTED_WORKSPACE_CONF_KEYS.includes(k));
  if (unsupported.length > 0) {
    throw apiErrors.notImplemented(`The local workspace does not support the workspace configuration keys ${unsupported.join(', ')}; it supports ${Object.keys(WORKSPACE_CONF_KEYS).join(', ')}.`);
  }
  const unknown = keys.filter((k) => !isKnown(k));
  if (unknown.length > 0) throw apiErrors.invalidParameter(`Invalid keys: ${JSON.stringify(unknown)}`);
  return keys as WorkspaceConfKey[];
}

function checkValue(key: WorkspaceConfKey, value: string): void {
  const kind = WORKSPACE_CONF_KEYS[key];
  const ok = kind === 'boolean' ? value === 'true' || value === 'false' : value === '' || (/^\d{1,6}$/.test(value) && Number(value) > 0);
  if (!ok) throw apiErrors.invalidParameter(`Invalid value for ${key}: ${JSON.stringify(value)} (expected ${kind === 'boolean' ? '"true" or "false"' : 'a positive number of days, or "" for no limit'}).`);
}

function requireAdmin(c: ApiContext): void {
  if (!c.get('principal').isAdmin) throw apiErrors.permissionDenied('Only workspace admins can read or change the workspace configuration.');
}

async function readConf(ctx: WorkspaceContext, keys: readonly WorkspaceConfKey[]): Promise<Partial<Record<WorkspaceConfKey, string>>> {
  if (keys.length === 0) return {};
  const rows = await ctx.database.db.select().from(workspaceConf).where(inArray(workspaceConf.key, [...keys]));
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/**
 * Workspace configuration: admins read and set the keys the local workspace honours (stored in
 * the database, so every process sees them); other services read them through `workspaceConf`.
 */
export const workspaceConfService: ServiceModule = {
  name: 'workspace-conf',
  provides: ['workspaceConf'],
  init(ctx) {
    ctx.services.workspaceConf.provide((keys) => readConf(ctx, keys));
    return Promise.resolve();
  },
  routes(router, ctx) {
    router.get('/api/2.0/workspace-conf', { input: GetWorkspaceConfRequest }, async (c, req): Promise<WorkspaceConf> => {
      requireAdmin(c);
      const keys = checkKeys([...new Set(req.keys.split(',').map((k) => k.trim()).filter((k) => k !== ''))]);
      const stored = await readConf(ctx, keys);
      // a key never set reads as null, as on Databricks
      return Object.fromEntries(keys.map((k) => [k, stored[k] ?? null])) as WorkspaceConf;
    });
    router.patch('/api/2.0/workspace-conf', { input: SetWorkspaceConfRequest }, async (c, conf) => {
      requireAdmin(c);
      const keys = checkKeys(Object.keys(conf));
      for (const k of keys) checkValue(k, conf[k]!);
      const now = ctx.clock.now();
      const by = c.get('principal').id;
      await ctx.database.db.transaction(async (tx) => {
        for (const key of keys) {
          const value = conf[key]!;
          await tx.insert(workspaceConf).values({ key, value, updatedAt: now, updatedBy: by }).onConflictDoUpdate({ target: workspaceConf.key, set: { value, updatedAt: now, updatedBy: by } });
        }
      });
      return c.body(null, 204);
    });
  },
};
