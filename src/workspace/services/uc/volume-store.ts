import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { ucGrants, ucVolumes } from './tables.js';
import { ucAlreadyExists, ucNotFound } from './errors.js';
import { informationSchemaReadOnly, isInformationSchema } from './information-schema.js';
import { normalizeName } from './names.js';
import { getCatalog, getSchema, getVolume, volumeFromRow } from './records.js';
import { removeManagedDir } from './storage.js';
import type { VolumeRecord } from './types.js';

/** Root under which `/Volumes/<c>/<s>/<v>` lives on disk (the notebook runner maps the same path). */
export function volumeRoot(ctx: WorkspaceContext): string {
  return join(ctx.config.stateDir, 'volumes');
}

export async function createVolume(
  ctx: WorkspaceContext,
  owner: Principal,
  input: { catalog_name: string; schema_name: string; name: string; volume_type?: string | undefined; comment?: string | undefined; storage_location?: string | undefined },
): Promise<VolumeRecord> {
  const volumeType = input.volume_type ?? 'MANAGED';
  if (volumeType !== 'MANAGED') {
    throw apiErrors.invalidParameter(`Volume type ${volumeType} is not supported by the local workspace: only MANAGED volumes are (external volumes need cloud storage).`);
  }
  if (input.storage_location) throw apiErrors.invalidParameter('storage_location must not be set for a MANAGED volume.');
  const catalogName = normalizeName(input.catalog_name, 'catalog_name');
  const schemaName = normalizeName(input.schema_name, 'schema_name');
  const name = normalizeName(input.name, 'name');
  if (!(await getCatalog(ctx, catalogName))) throw ucNotFound('catalog', catalogName);
  if (!(await getSchema(ctx, `${catalogName}.${schemaName}`))) throw ucNotFound('schema', `${catalogName}.${schemaName}`);
  if (isInformationSchema(schemaName)) throw informationSchemaReadOnly(catalogName, 'create volumes in it');
  const storageLocation = join(volumeRoot(ctx), catalogName, schemaName, name);
  const now = ctx.clock.now();
  const rows = await ctx.database.db
    .insert(ucVolumes)
    .values({
      catalogName,
      schemaName,
      name,
      volumeId: randomUUID(),
      volumeType,
      storageLocation,
      owner: owner.name,
      comment: input.comment ?? null,
      createdAt: now,
      createdBy: owner.name,
      updatedAt: now,
      updatedBy: owner.name,
    })
    .onConflictDoNothing()
    .returning();
  if (!rows[0]) throw ucAlreadyExists('volume', `${catalogName}.${schemaName}.${name}`);
  mkdirSync(storageLocation, { recursive: true });
  return volumeFromRow(rows[0]);
}

/** PATCH comment / owner / new_name; the path derives from the name (`/Volumes/c/s/v`), so a rename moves the directory. */
export async function updateVolume(
  ctx: WorkspaceContext,
  actor: Principal,
  fullName: string,
  patch: { comment?: string | undefined; owner?: string | undefined; new_name?: string | undefined },
): Promise<VolumeRecord> {
  const current = await getVolume(ctx, fullName);
  if (!current) throw ucNotFound('volume', fullName);
  const newName = patch.new_name === undefined ? current.name : normalizeName(patch.new_name, 'new_name');
  const newFull = `${current.catalog_name}.${current.schema_name}.${newName}`;
  if (newName !== current.name && (await getVolume(ctx, newFull))) throw ucAlreadyExists('volume', newFull);
  const newLocation = newName === current.name ? current.storage_location : join(volumeRoot(ctx), current.catalog_name, current.schema_name, newName);
  // the grants follow the rename; an absent comment or owner is kept (undefined leaves a column alone)
  await ctx.database.db.transaction(async (tx) => {
    if (newFull !== current.full_name) {
      await tx
        .update(ucGrants)
        .set({ securableName: newFull })
        .where(and(eq(ucGrants.securableType, 'volume'), eq(ucGrants.securableName, current.full_name)));
    }
    await tx
      .update(ucVolumes)
      .set({ name: newName, storageLocation: newLocation, comment: patch.comment ?? undefined, owner: patch.owner ?? undefined, updatedAt: ctx.clock.now(), updatedBy: actor.name })
      .where(eq(ucVolumes.volumeId, current.volume_id));
  });
  if (newLocation !== current.storage_location) {
    mkdirSync(join(newLocation, '..'), { recursive: true });
    if (existsSync(current.storage_location)) renameSync(current.storage_location, newLocation);
    else mkdirSync(newLocation, { recursive: true });
  }
  return (await getVolume(ctx, newFull))!;
}

/** Deletes a volume, its grants and (it is managed) its files. */
export async function deleteVolume(ctx: WorkspaceContext, fullName: string): Promise<void> {
  const volume = await getVolume(ctx, fullName);
  if (!volume) throw ucNotFound('volume', fullName);
  await ctx.database.db.transaction(async (tx) => {
    await tx.delete(ucGrants).where(and(eq(ucGrants.securableType, 'volume'), eq(ucGrants.securableName, volume.full_name)));
    await tx.delete(ucVolumes).where(eq(ucVolumes.volumeId, volume.volume_id));
  });
  removeManagedDir(ctx, volume.storage_location);
}

/**
 * After a catalog or schema rename, moves the volumes' directories so `/Volumes/<c>/<s>/<v>`
 * (which the notebook runner maps by name) still finds their files.
 */
export async function moveVolumeDirs(ctx: WorkspaceContext, from: readonly string[], to: readonly string[]): Promise<void> {
  const oldDir = join(volumeRoot(ctx), ...from);
  const newDir = join(volumeRoot(ctx), ...to);
  if (oldDir === newDir) return;
  await ctx.database.db
    .update(ucVolumes)
    .set({ storageLocation: sql`${newDir}::text || substr(${ucVolumes.storageLocation}, length(${oldDir}::text) + 1)` })
    .where(sql`left(${ucVolumes.storageLocation}, length(${oldDir}::text) + 1) = ${`${oldDir}/`}`);
  if (existsSync(oldDir)) {
    mkdirSync(join(newDir, '..'), { recursive: true });
    renameSync(oldDir, newDir);
  }
}
