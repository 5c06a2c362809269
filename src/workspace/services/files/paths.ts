import { apiErrors } from '../../../core/errors.js';

/** A `/Volumes/<catalog>/<schema>/<volume>/<rest...>` path, split and checked. */
export interface VolumePath {
  catalog: string;
  schema: string;
  volume: string;
  /** path segments inside the volume (empty for the volume root) */
  segments: string[];
  /** the normalised absolute path as clients name it */
  display: string;
}

/**
 * Parses the part of a Files API URL after `/fs/files` or `/fs/directories`. Each segment is
 * percent-decoded; `.`/`..`, empty inner segments, NUL and backslashes are refused, so a
 * path can never leave its volume.
 */
export function parseVolumePath(rawPath: string): VolumePath {
  const segments = rawPath.split('/').slice(1);
  // a trailing slash (directories) is allowed: drop one empty last segment
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  const decoded = segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw apiErrors.invalidParameter(`Path '${rawPath}' is not correctly percent-encoded.`);
    }
  });
  const display = '/' + decoded.join('/');
  for (const s of decoded) {
    if (s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes('/') || s.includes('\\')) {
      throw apiErrors.invalidParameter(`Invalid path '${display}': segments must not be empty, '.', '..', or contain slashes, backslashes or NUL.`);
    }
  }
  if (decoded[0] !== 'Volumes' || decoded.length < 4) {
    throw apiErrors.invalidParameter(
      `Invalid path '${display}': the local workspace's Files API serves Unity Catalog volumes only, as /Volumes/<catalog>/<schema>/<volume>/<path>.`,
    );
  }
  return { catalog: decoded[1]!, schema: decoded[2]!, volume: decoded[3]!, segments: decoded.slice(4), display };
}

export function volumeFullName(p: VolumePath): string {
  return `${p.catalog}.${p.schema}.${p.volume}`;
}
