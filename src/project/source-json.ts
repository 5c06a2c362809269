/**
 * Strict JSON (RFC 8259) with positions, for `.json` configuration files. YAML would accept what
 * JSON tools reject (trailing commas, `//` comments, single quotes, bare words), so a file that
 * passes here is one `python -m json.tool` and the Jobs API accept too. Values carry the same
 * position metadata as YAML-parsed ones (see source.ts); a syntax error is one diagnostic at its
 * `line:col` with a hint that names the usual cause.
 */
import { DiagnosticCode, makeDiagnostic, type SourcePos } from './diagnostics.js';
import { setMeta, type ParsedFile, type PlainObject } from './source.js';

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 200;
const FIX = 'fix the syntax error; the file was not loaded';

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the file';
  if (ch === '\n' || ch === '\r') return 'a line break';
  return `'${ch}'`;
}

class Parser {
  private i = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    for (let k = 0; k < text.length; k++) if (text[k] === '\n') this.lineStarts.push(k + 1);
  }

  pos(offset: number): SourcePos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: offset - (this.lineStarts[lo] as number) + 1 };
  }

  parseDocument(): unknown {
    this.skipSpace();
    if (this.i >= this.text.length) throw new JsonSyntaxError(this.i, 'the file is empty', 'a job settings file holds one JSON object: {"name": …, "tasks": […]}');
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.i < this.text.length) {
      throw new JsonSyntaxError(this.i, `unexpected ${describe(this.text[this.i])} after the end of the JSON value`, 'a JSON file holds exactly one value; remove what follows it, or wrap the values in an array');
    }
    return value;
  }

  private skipSpace(): void {
    for (;;) {
      const ch = this.text[this.i];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.i++;
        continue;
      }
      if (ch === '/' && (this.text[this.i + 1] === '/' || this.text[this.i + 1] === '*')) {
        throw new JsonSyntaxError(this.i, 'comments are not allowed in JSON', 'remove the comment (JSON has no comments; a "description" field or a README can hold the note)');
      }
      if (ch === '#') throw new JsonSyntaxError(this.i, 'comments are not allowed in JSON', 'remove the comment (JSON has no comments)');
      return;
    }
  }

  private parseValue(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError(this.i, `nesting deeper than ${MAX_DEPTH} levels`, 'job settings are never nested this deep; check for a generated or corrupted file');
    const ch = this.text[this.i];
    if (ch === '{') return this.parseObject(depth);
    if (ch === '[') return this.parseArray(depth);
    if (ch === '"') return this.parseString();
    if (ch === "'") throw new JsonSyntaxError(this.i, 'strings must be in double quotes', `write "…" instead of '…'`);
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    if (ch === undefined) throw new JsonSyntaxError(this.i, 'unexpected end of the file: a value is missing', 'the file is cut short; complete it or check for a missing closing bracket');
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i, this.i + 40))?.[0];
    if (word !== undefined) {
      const known = ['True', 'False', 'None', 'TRUE', 'FALSE', 'NULL', 'Null'].includes(word);
      throw new JsonSyntaxError(this.i, `unexpected word '${word}'`, known ? 'JSON spells these true, false and null (lower case)' : 'strings must be in double quotes');
    }
    if (ch === ',' || ch === '}' || ch === ']') throw new JsonSyntaxError(this.i, `unexpected ${describe(ch)}: a value is missing`, 'write a value, or remove the extra comma');
    throw new JsonSyntaxError(this.i, `unexpected ${describe(ch)}`, 'a JSON value is an object, array, "string", number, true, false or null');
  }

  private parseObject(depth: number): PlainObject {
    const obj: PlainObject = {};
    const meta = setMeta(obj, this.pos(this.i));
    const open = this.i;
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === '}') {
      this.i++;
      return obj;
    }
    for (;;) {
      this.skipSpace();
      const keyAt = this.i;
      const ch = this.text[this.i];
      if (ch === '}') throw new JsonSyntaxError(this.lastComma(keyAt), "trailing comma before '}'", 'remove the comma after the last field (JSON allows no trailing commas)');
      if (ch !== '"') {
        if (ch === undefined) throw this.unclosed(open, '}');
        if (ch === "'") throw new JsonSyntaxError(this.i, 'field names must be in double quotes', `write "name" instead of 'name'`);
        throw new JsonSyntaxError(this.i, `expected a field name in double quotes, found ${describe(ch)}`, /[A-Za-z_]/.test(ch) ? 'put the field name in double quotes' : 'check the line above for a missing or extra character');
      }
      const key = this.parseString();
      if (Object.prototype.hasOwnProperty.call(obj, key)) {
        throw new JsonSyntaxError(keyAt, `field "${key}" is defined twice in this object`, 'remove one of them (JSON readers silently keep only the last)');
      }
      this.skipSpace();
      if (this.text[this.i] !== ':') throw new JsonSyntaxError(this.i, `expected ':' after the field name "${key}", found ${describe(this.text[this.i])}`, 'write "field": value');
      this.i++;
      this.skipSpace();
      const valueAt = this.i;
      obj[key] = this.parseValue(depth + 1);
      meta.entries.set(key, { key: this.pos(keyAt), value: this.pos(valueAt) });
      this.skipSpace();
      const next = this.text[this.i];
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === '}') {
        this.i++;
        return obj;
      }
      if (next === undefined) throw this.unclosed(open, '}');
      throw new JsonSyntaxError(this.i, `expected ',' or '}' after the value of "${key}", found ${describe(next)}`, next === '"' ? 'a comma is missing at the end of the previous line' : "separate fields with ',' and close the object with '}'");
    }
  }

  private parseArray(depth: number): unknown[] {
    const arr: unknown[] = [];
    const meta = setMeta(arr, this.pos(this.i));
    const open = this.i;
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === ']') {
      this.i++;
      return arr;
    }
    for (;;) {
      this.skipSpace();
      const at = this.i;
      if (this.text[this.i] === ']') throw new JsonSyntaxError(this.lastComma(at), "trailing comma before ']'", 'remove the comma after the last element (JSON allows no trailing commas)');
      if (this.text[this.i] === undefined) throw this.unclosed(open, ']');
      arr.push(this.parseValue(depth + 1));
      meta.entries.set(arr.length - 1, { value: this.pos(at) });
      this.skipSpace();
      const next = this.text[this.i];
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === ']') {
        this.i++;
        return arr;
      }
      if (next === undefined) throw this.unclosed(open, ']');
      throw new JsonSyntaxError(this.i, `expected ',' or ']' in the list, found ${describe(next)}`, "separate elements with ',' and close the list with ']'");
    }
  }

  /** The comma that precedes `offset` (for trailing-comma errors, reported where the comma is). */
  private lastComma(offset: number): number {
    const k = this.text.lastIndexOf(',', offset);
    return k >= 0 ? k : offset;
  }

  private unclosed(open: number, close: string): JsonSyntaxError {
    const p = this.pos(open);
    return new JsonSyntaxError(this.text.length, `unexpected end of the file: the ${close === '}' ? "'{'" : "'['"} at line ${p.line}, column ${p.col} is never closed`, `add the missing '${close}' (or remove an extra opening bracket)`);
  }

  private parseString(): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const ch = this.text[this.i];
      if (ch === undefined || ch === '\n' || ch === '\r') {
        throw new JsonSyntaxError(start, 'string is not closed on its line', 'add the closing double quote; a line break inside a string is written \\n');
      }
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch === '\\') {
        const esc = this.text[this.i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && esc in simple) {
          out += simple[esc];
          this.i += 2;
          continue;
        }
        if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
          continue;
        }
        throw new JsonSyntaxError(this.i, `invalid escape '\\${esc ?? ''}' in a string`, 'JSON escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as \\\\');
      }
      if (ch < ' ') throw new JsonSyntaxError(this.i, 'control character inside a string', 'write a tab as \\t');
      out += ch;
      this.i++;
    }
  }

  private parseNumber(): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.i, this.i + 400));
    const after = m ? this.text[this.i + m[0].length] : undefined;
    if (m === null || m[0] === '-' || (after !== undefined && /[0-9A-Za-z.]/.test(after))) {
      throw new JsonSyntaxError(this.i, 'invalid number', 'JSON numbers have no leading zeros, leading +, hex or trailing dot; quote the value if it is a string');
    }
    this.i += m[0].length;
    return Number(m[0]);
  }
}

/** Parse strict JSON; on a syntax error `value` is undefined and the one diagnostic says where and why. */
export function parseJsonLocated(text: string, displayFile: string): ParsedFile {
  const start: SourcePos = { file: displayFile, line: 1, col: 1 };
  const parser = new Parser(text, displayFile);
  try {
    return { value: parser.parseDocument(), pos: start, diagnostics: [] };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const diagnostic = makeDiagnostic('error', DiagnosticCode.parse, parser.pos(err.offset), '', `invalid JSON: ${err.message}`, `${err.hint}; ${FIX}`);
    return { value: undefined, pos: start, diagnostics: [diagnostic] };
  }
}
