import { apiErrors } from '../../../core/errors.js';

/** One DBFS path, normalised: `dbfs:/a//b/./c/` and `/a/b/c` are both `/a/b/c`. */
export type DbfsPath =
  | { kind: 'root'; segments: string[]; display: string }
  | { kind: 'volume'; catalog: string; schema: string; volume: string; segments: string[]; display: string };

/** A file name longer than this is refused (Linux's NAME_MAX) instead of failing on disk. */
const MAX_SEGMENT_BYTES = 255;

/**
 * Parses a DBFS API path (`dbfs:/x` or `/x`). Relative paths, other schemes, `..`, NUL, backslashes
 * and over-long names are 400 INVALID_PARAMETER_VALUE, so a path never leaves its root lexically;
 * symlinks are checked where the path is resolved on disk (locate.ts). `/Volumes/<c>/<s>/<v>/...`
 * names a Unity Catalog volume.
 */
export function parseDbfsPath(raw: string): DbfsPath {
  const rest = raw.startsWith('dbfs:') ? raw.slice('dbfs:'.length) : raw;
  if (!rest.startsWith('/')) {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest)?.[1];
    throw apiErrors.invalidParameter(
      scheme !== undefined
        ? `Invalid path ${printable(raw)}: the DBFS API takes dbfs:/ paths, not ${scheme}: paths.`
        : `Invalid path ${printable(raw)}: a DBFS path must be absolute (dbfs:/... or /...).`,
    );
  }
  const segments: string[] = [];
  for (const s of rest.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' || s.includes('\0') || s.includes('\\') || Buffer.byteLength(s) > MAX_SEGMENT_BYTES) {
      throw apiErrors.invalidParameter(`Invalid path ${printable(raw)}: names must not be '..', hold NUL or backslashes, or exceed ${MAX_SEGMENT_BYTES} bytes.`);
    }
    segments.push(s);
  }
  const display = '/' + segments.join('/');
  if (segments[0] !== 'Volumes') return { kind: 'root', segments, display };
  if (segments.length < 4) {
    throw apiErrors.invalidParameter(
      `Invalid path ${display}: under /Volumes the local workspace serves volumes only, as /Volumes/<catalog>/<schema>/<volume>/<path>; list catalogs, schemas and volumes with the Unity Catalog API.`,
    );
  }
  return { kind: 'volume', catalog: segments[1]!, schema: segments[2]!, volume: segments[3]!, segments: segments.slice(4), display };
}

/** The path of a child entry as DBFS answers it. */
export function childPath(display: string, name: string): string {
  return display === '/' ? `/${name}` : `${display}/${name}`;
}

/** A path for an error message: NUL shown escaped, at most 300 characters. */
function printable(raw: string): string {
  const shown = JSON.stringify(raw);
  return shown.length > 300 ? shown.slice(0, 300) + '…"' : shown;
}
