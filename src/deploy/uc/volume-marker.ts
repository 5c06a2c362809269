/**
 * Volumes have no properties in Unity Catalog, so the ownership markers brickyard keeps in a
 * catalog's or schema's properties (`brickyard.project`, `brickyard.resource`, `brickyard.state`)
 * ride at the end of a volume's comment as one tag: `<comment> [brickyard:project=p%2Fdev&resource=volumes.raw]`.
 * Reading a listing splits the tag back into properties, so the planner treats every securable
 * the same way; the user's comment is compared and shown without it.
 */
import { PROP_GRANTS } from './model.js';

const PREFIX = 'brickyard.';
const TAG = /(?:^|\s)\[brickyard:([^\]\s]*)\]$/;

/** A listed volume's comment → the user's comment and the brickyard properties its tag carries. */
export function splitVolumeComment(comment: string | undefined): { comment: string | undefined; properties: Record<string, string> } {
  if (comment === undefined) return { comment, properties: {} };
  const m = TAG.exec(comment);
  if (m === null) return { comment, properties: {} };
  const properties: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(m[1])) properties[`${PREFIX}${k}`] = v;
  const rest = comment.slice(0, m.index);
  return { comment: rest === '' ? undefined : rest, properties };
}

/** The comment to write: the user's comment, then the tag of the brickyard properties (grants records excepted). */
export function volumeComment(comment: string | undefined, properties: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const k of Object.keys(properties).sort()) {
    if (k.startsWith(PREFIX) && k !== PROP_GRANTS) params.set(k.slice(PREFIX.length), properties[k]!);
  }
  const tag = params.size > 0 ? `[brickyard:${params.toString()}]` : '';
  return [comment ?? '', tag].filter((s) => s !== '').join(' ');
}
