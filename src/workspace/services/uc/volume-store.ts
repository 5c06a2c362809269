import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { ucVolumes } from './tables.js';
import { ucAlreadyExists, ucNotFound } from './errors.js';
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
  await ctx.database.query(
    `WITH g AS (UPDATE uc_grants SET securable_name = $3 WHERE securable_type = 'volume' AND securable_name = $2 AND $2 <> $3)
     UPDATE uc_volumes SET name = $4, storage_location = $5, comment = COALESCE($6, comment), owner = COALESCE($7, owner), updated_at = $8, updated_by = $9
     WHERE volume_id = $1`,
    [current.volume_id, current.full_name, newFull, newName, newLocation, patch.comment ?? null, patch.owner ?? null, ctx.clock.now(), actor.name],
  );
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
  await ctx.database.query(
    `WITH g AS (DELETE FROM uc_grants WHERE securable_type = 'volume' AND securable_name = $2)
     DELETE FROM uc_volumes WHERE volume_id = $1`,
    [volume.volume_id, volume.full_name],
  );
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
  await ctx.database.query(
    `UPDATE uc_volumes SET storage_location = $2 || substr(storage_location, length($1) + 1)
     WHERE left(storage_location, length($1) + 1) = $1 || '/'`,
    [oldDir, newDir],
  );
  if (existsSync(oldDir)) {
    mkdirSync(join(newDir, '..'), { recursive: true });
    renameSync(oldDir, newDir);
  }
}
