import { MAX_JSON_DEPTH, MAX_REQUEST_PATH_LENGTH } from '../../api/limits.js';

/**
 * Text checks every request input passes before any handler sees it: a NUL character or an
 * unpaired UTF-16 surrogate (what invalid UTF-8 becomes once decoded leniently) cannot be stored
 * in Postgres text, so it is refused at the door naming the field, never found by a failing write.
 */

// eslint-disable-next-line no-control-regex
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored as text, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  const m = BAD_TEXT.exec(text);
  if (!m) return undefined;
  return m[0] === '\u0000' ? 'text must not contain NUL characters (\\u0000)' : 'text must be valid Unicode (it holds an unpaired surrogate)';
}

/** A field name fit for an error message: control characters escaped, bounded in length. */
export function printableField(name: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = name.replace(/[\u0000-\u001f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The first string (value or object key) of a parsed body that cannot be stored as text, with its
 * field path in the form the schema errors use (`tasks[0].task_key`). Walks without recursion;
 * byte parts (Uint8Array) are data, not text, and are not looked into.
 */
export function findBadText(root: unknown): { field: string; problem: string } | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { field: path, problem };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]` });
    } else if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const field = path === '' ? key : `${path}.${key}`;
        const problem = textProblem(key);
        if (problem) return { field: path === '' ? 'a field name' : `a field name in ${path}`, problem };
        stack.push({ value: child, path: field });
      }
    }
  }
  return undefined;
}

/**
 * True when JSON text nests objects and arrays deeper than `max`. Scans the text before it is
 * parsed, so a body of 100k brackets costs one pass and never reaches recursive code.
 */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Strict percent-decoding: undefined when the escapes are not UTF-8. */
function decodeStrict(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with the path or query string of a request URL (escapes that are not UTF-8, NUL
 * characters), as a message naming the query parameter, or undefined when both are fine.
 */
export function badUrlText(url: string): string | undefined {
  const { pathname, search } = new URL(url);
  const path = decodeStrict(pathname);
  if (path === undefined) return 'Invalid value for the request path: it must be valid percent-encoded UTF-8';
  if (path.length > MAX_REQUEST_PATH_LENGTH) return `Invalid value for the request path: it must be at most ${MAX_REQUEST_PATH_LENGTH} characters`;
  const pathProblem = textProblem(path);
  if (pathProblem) return `Invalid value for the request path: ${pathProblem}`;
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = (eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ');
    const rawValue = (eq < 0 ? '' : pair.slice(eq + 1)).replace(/\+/g, ' ');
    const name = decodeStrict(rawName);
    if (name === undefined || textProblem(name)) return 'Invalid query parameter name: it must be valid percent-encoded UTF-8 without NUL characters';
    const value = decodeStrict(rawValue);
    if (value === undefined) return `Invalid value for ${printableField(name)}: it must be valid percent-encoded UTF-8`;
    const problem = textProblem(value);
    if (problem) return `Invalid value for ${printableField(name)}: ${problem}`;
  }
  return undefined;
}
