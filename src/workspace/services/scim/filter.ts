import { scimErrors } from './errors.js';

/**
 * SCIM 2.0 filters (RFC 7644 §3.4.2.2): `userName eq "x"`, `displayName co "data"`,
 * `emails[type eq "work" and value sw "a"]`, `not (active eq false)`, combined with and/or; an
 * unquoted value (`displayName eq admins`) is a string, as Databricks reads it.
 * Strings compare case-insensitively, as Databricks does for names.
 */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'compare'; path: string[]; op: CompareOp; value: Literal }
  | { kind: 'present'; path: string[] }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'valuePath'; path: string[]; filter: FilterNode };

type Token = { t: 'word'; v: string } | { t: 'lit'; v: Literal } | { t: 'punct'; v: '(' | ')' | '[' | ']' };

const compareOps = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

function invalid(detail: string): never {
  throw scimErrors.badRequest(detail, 'invalidFilter');
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      out.push({ t: 'punct', v: ch });
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) invalid(`Invalid filter '${text}': unterminated string.`);
      try {
        out.push({ t: 'lit', v: JSON.parse(text.slice(i, j + 1)) as string });
      } catch {
        invalid(`Invalid filter '${text}': bad string literal.`);
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()[\]"]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      if (word === 'true' || word === 'false') out.push({ t: 'lit', v: word === 'true' });
      else if (word === 'null') out.push({ t: 'lit', v: null });
      else if (/^-?\d+(\.\d+)?$/.test(word)) out.push({ t: 'lit', v: Number(word) });
      else out.push({ t: 'word', v: word });
      i = j;
    }
  }
  return out;
}

/** `urn:…:User:name.givenName` → ['name', 'givenName']. */
export function splitAttrPath(raw: string): string[] {
  const withoutUrn = raw.toLowerCase().startsWith('urn:') ? raw.slice(raw.lastIndexOf(':') + 1) : raw;
  const parts = withoutUrn.split('.');
  if (parts.some((p) => !/^\$?[A-Za-z][\w-]*$/.test(p))) invalid(`Invalid attribute path '${raw}' in filter.`);
  return parts;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly text: string) {}

  parse(): FilterNode {
    const node = this.parseOr();
    if (this.pos < this.tokens.length) invalid(`Invalid filter '${this.text}': unexpected '${String(this.tokens[this.pos]!.v)}'.`);
    return node;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.t === 'word' ? t.v.toLowerCase() : undefined;
  }

  private expectPunct(v: ')' | ']'): void {
    const t = this.tokens[this.pos];
    if (t?.t !== 'punct' || t.v !== v) invalid(`Invalid filter '${this.text}': expected '${v}'.`);
    this.pos++;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.peekWord() === 'or') {
      this.pos++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.peekWord() === 'and') {
      this.pos++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const t = this.tokens[this.pos];
    if (!t) invalid(`Invalid filter '${this.text}': expression ends too early.`);
    if (t.t === 'punct' && t.v === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    if (t.t === 'word' && t.v.toLowerCase() === 'not') {
      this.pos++;
      const next = this.tokens[this.pos];
      if (next?.t !== 'punct' || next.v !== '(') invalid(`Invalid filter '${this.text}': 'not' must be followed by '('.`);
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (t.t !== 'word') invalid(`Invalid filter '${this.text}': expected an attribute name.`);
    this.pos++;
    const path = splitAttrPath(t.v);
    const after = this.tokens[this.pos];
    if (after?.t === 'punct' && after.v === '[') {
      this.pos++;
      const filter = this.parseOr();
      this.expectPunct(']');
      return { kind: 'valuePath', path, filter };
    }
    const op = this.peekWord();
    if (op === 'pr') {
      this.pos++;
      return { kind: 'present', path };
    }
    if (!op || !compareOps.has(op)) {
      invalid(`Invalid filter '${this.text}': unsupported operator '${after ? String(after.v) : ''}'. Supported: eq, ne, co, sw, ew, gt, ge, lt, le, pr.`);
    }
    this.pos++;
    const value = this.tokens[this.pos];
    // Databricks also takes a bare word as a string value: `displayName eq admins`, `userName eq a@b.c`
    if (value?.t === 'word') {
      this.pos++;
      return { kind: 'compare', path, op: op as CompareOp, value: value.v };
    }
    if (value?.t !== 'lit') invalid(`Invalid filter '${this.text}': '${op}' needs a value ("string", bare word, number, true, false or null).`);
    this.pos++;
    return { kind: 'compare', path, op: op as CompareOp, value: value.v };
  }
}

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) invalid('Invalid filter: empty expression.');
  return new Parser(tokens, text).parse();
}

/** Reads `a.b` case-insensitively; multi-valued attributes yield every element's value. */
export function resolvePath(resource: unknown, path: string[]): unknown[] {
  let current: unknown[] = [resource];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || typeof item !== 'object') continue;
      const key = Object.keys(item).find((k) => k.toLowerCase() === segment.toLowerCase());
      if (key === undefined) continue;
      const v = (item as Record<string, unknown>)[key];
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined) next.push(v);
    }
    current = next;
  }
  // a bare multi-valued complex attribute (`emails eq "x"`) compares on its `value` sub-attribute
  return current.map((v) => (v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v));
}

function compareOne(actual: unknown, op: CompareOp, expected: Literal): boolean {
  if (expected === null) return op === 'ne' ? actual !== null && actual !== undefined : op === 'eq' && (actual === null || actual === undefined);
  if (typeof expected === 'boolean') {
    const a = typeof actual === 'string' ? actual.toLowerCase() === 'true' : actual;
    return op === 'eq' ? a === expected : op === 'ne' ? a !== expected : false;
  }
  if (actual === null || actual === undefined || typeof actual === 'object') return op === 'ne';
  const a = String(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  const numeric = typeof expected === 'number' && Number.isFinite(Number(actual));
  const cmp = numeric ? Number(actual) - expected : a < e ? -1 : a > e ? 1 : 0;
  switch (op) {
    case 'eq': return cmp === 0;
    case 'ne': return cmp !== 0;
    case 'co': return a.includes(e);
    case 'sw': return a.startsWith(e);
    case 'ew': return a.endsWith(e);
    case 'gt': return cmp > 0;
    case 'ge': return cmp >= 0;
    case 'lt': return cmp < 0;
    case 'le': return cmp <= 0;
  }
}

export function matchesFilter(resource: unknown, node: FilterNode): boolean {
  switch (node.kind) {
    case 'and': return matchesFilter(resource, node.left) && matchesFilter(resource, node.right);
    case 'or': return matchesFilter(resource, node.left) || matchesFilter(resource, node.right);
    case 'not': return !matchesFilter(resource, node.expr);
    case 'present': return resolvePath(resource, node.path).some((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
    case 'valuePath': return rawElements(resource, node.path).some((el) => matchesFilter(el, node.filter));
    case 'compare': {
      const values = resolvePath(resource, node.path);
      if (values.length === 0) return node.op === 'ne' || (node.op === 'eq' && node.value === null);
      return node.op === 'ne' ? values.every((v) => compareOne(v, 'ne', node.value)) : values.some((v) => compareOne(v, node.op, node.value));
    }
  }
}

/** The elements of a multi-valued attribute, unflattened (for `attr[filter]`). */
function rawElements(resource: unknown, path: string[]): unknown[] {
  if (resource === null || typeof resource !== 'object') return [];
  let current: unknown = resource;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return [];
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : (current as Record<string, unknown>)[key];
  }
  return Array.isArray(current) ? current : current === undefined ? [] : [current];
}

export { rawElements as elementsAt };
