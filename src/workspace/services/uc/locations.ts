import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import type { Principal } from '../identity/principal.js';
import { authorize } from './access.js';
import { getVolume } from './records.js';
import { realPathInside } from './storage.js';

/**
 * Who may register an EXTERNAL table where. The local workspace reads external tables from disk,
 * so a location is a capability: under /Volumes/<c>/<s>/<v>/ it needs READ VOLUME on that volume;
 * any other local path (or file: URI) is reserved to workspace admins, otherwise CREATE TABLE on
 * a schema would let anyone read the server's files. Cloud URIs are recorded as given (reading
 * them is refused by the SQL warehouse).
 */

const VOLUME_PATH = /^(?:dbfs:)?\/Volumes\/([^/]+)\/([^/]+)\/([^/]+)(?:\/.*)?$/;

export function volumeOfPath(location: string): string | undefined {
  const m = VOLUME_PATH.exec(location.trim());
  return m ? `${m[1]}.${m[2]}.${m[3]}`.toLowerCase() : undefined;
}

export async function authorizeExternalLocation(ctx: WorkspaceContext, principal: Principal, location: string): Promise<void> {
  const path = location.trim();
  if (path.split('/').includes('..')) throw apiErrors.invalidParameter(`Invalid storage_location '${location}': it must not contain '..' segments.`);
  const volume = volumeOfPath(path);
  if (volume) {
    await authorize(ctx, principal, 'READ_VOLUME', { type: 'volume', fullName: volume });
    // the grant covers the volume only: a symlink inside it leading elsewhere is not the volume
    const record = await getVolume(ctx, volume);
    const rest = path.replace(/^(?:dbfs:)?\/Volumes\/[^/]+\/[^/]+\/[^/]+/, '');
    if (record && realPathInside(record.storage_location, join(record.storage_location, rest)) === undefined) {
      throw apiErrors.permissionDenied(`Invalid storage_location '${location}': it resolves outside volume ${volume} through a symbolic link.`);
    }
    return;
  }
  const isFileUri = /^file:/i.test(path);
  if (!isFileUri && /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return;
  const local = isFileUri ? fileURLToPath(path) : path;
  if (!isAbsolute(local)) throw apiErrors.invalidParameter(`Invalid storage_location '${location}': use an absolute path, a /Volumes/<catalog>/<schema>/<volume>/... path or a cloud URI.`);
  if (!principal.isAdmin) {
    throw apiErrors.permissionDenied(`User ${principal.name} may not register a table on the local path '${location}': only workspace admins may; use a location under /Volumes/<catalog>/<schema>/<volume>/ instead.`);
  }
}
