import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkspaceContext } from '../context.js';
import { listCatalogs, listSchemas, listTables, warehouseRoot } from '../services/uc/store.js';

/**
 * Start-up garbage collection of managed table storage. Readers only ever open a table's
 * committed `data_files`, so files a crashed write left behind are invisible; this removes them,
 * plus directories of CTAS statements that never registered their table.
 */
export async function cleanupOrphans(ctx: WorkspaceContext): Promise<number> {
  const root = resolve(warehouseRoot(ctx));
  if (!existsSync(root)) return 0;
  const referenced = new Map<string, Set<string>>();
  for (const catalog of await listCatalogs(ctx)) {
    for (const schema of await listSchemas(ctx, catalog.name)) {
      for (const table of await listTables(ctx, catalog.name, schema.name)) {
        if (table.table_type !== 'MANAGED') continue;
        // keep the first path segment of every committed file (files may sit in sub-directories)
        referenced.set(resolve(table.storage_location), new Set(table.data_files.map((f) => f.split(/[\\/]/)[0]!)));
      }
    }
  }
  let removed = 0;
  for (const catalog of readdirSync(root, { withFileTypes: true })) {
    if (!catalog.isDirectory()) continue;
    for (const schema of readdirSync(join(root, catalog.name), { withFileTypes: true })) {
      if (!schema.isDirectory()) continue;
      for (const tableDir of readdirSync(join(root, catalog.name, schema.name), { withFileTypes: true })) {
        if (!tableDir.isDirectory()) continue;
        const dir = resolve(root, catalog.name, schema.name, tableDir.name);
        const keep = referenced.get(dir);
        if (!keep) {
          rmSync(dir, { recursive: true, force: true });
          removed++;
          continue;
        }
        for (const file of readdirSync(dir)) {
          if (keep.has(file)) continue;
          rmSync(join(dir, file), { recursive: true, force: true });
          removed++;
        }
      }
    }
  }
  if (removed > 0) ctx.logger.info('removed uncommitted table data files', { count: removed });
  return removed;
}
