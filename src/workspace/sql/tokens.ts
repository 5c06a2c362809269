import { SqlError } from './errors.js';

/**
 * A tokenizer for Databricks SQL text. Comments are dropped; backtick identifiers, string
 * literals (with Spark's backslash escapes, raw r'' strings and "double-quoted" strings, which
 * are string literals in Databricks SQL) and numeric suffixes (1L, 2.5D, 3BD) are decoded, so
 * later stages never re-interpret user text.
 */

export type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'param' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** ident: as written; qident/string: decoded value; number: digits; param: name; op: the operator */
  value: string;
  /** upper-cased value for keyword comparison (ident only; empty otherwise) */
  upper: string;
  /** numeric literal suffix, upper-cased: L, S, Y, D, F, BD */
  suffix?: string;
  /** a string literal preceded by X (hex binary literal) */
  hex?: boolean;
  start: number;
  end: number;
}

const OPERATORS = ['<=>', '::', '<=', '>=', '<>', '!=', '==', '||', '=>', '->', '(', ')', ',', '.', ';', '+', '-', '*', '/', '%', '=', '<', '>', '[', ']', '{', '}', '&', '|', '^', '~', '!', ':', '?'];

const isIdentStart = (c: string) => /[A-Za-z_\u00C0-\uFFFF]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_\u00C0-\uFFFF]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const push = (kind: TokenKind, value: string, start: number, extra: Partial<Token> = {}) =>
    out.push({ kind, value, upper: kind === 'ident' ? value.toUpperCase() : '', start, end: i, ...extra });

  while (i < n) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i);
      continue;
    }
    const start = i;
    if (c === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new SqlError('PARSE_SYNTAX_ERROR', `Unterminated quoted identifier starting at position ${start}.`);
        if (text[i] === '`') {
          if (text[i + 1] === '`') {
            value += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      if (value.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', 'Empty quoted identifier ``.');
      push('qident', value, start);
      continue;
    }
    // raw string r'..' / hex binary X'..'
    if ((c === 'r' || c === 'R' || c === 'x' || c === 'X') && (text[i + 1] === "'" || text[i + 1] === '"')) {
      const raw = c === 'r' || c === 'R';
      i++;
      const value = readString(text, i, raw);
      i = value.end;
      push('string', value.value, start, raw ? {} : { hex: true });
      continue;
    }
    // $$...$$ (Databricks' dollar-quoted text, e.g. function bodies): a raw string
    if (c === '$' && text[i + 1] === '$') {
      const close = text.indexOf('$$', i + 2);
      if (close < 0) throw new SqlError('PARSE_SYNTAX_ERROR', `Unterminated $$ string starting at position ${start}.`);
      i = close + 2;
      push('string', text.slice(start + 2, close), start);
      continue;
    }
    if (c === "'" || c === '"') {
      const value = readString(text, i, false);
      i = value.end;
      push('string', value.value, start);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1]))) {
      while (isDigit(text[i])) i++;
      if (text[i] === '.' && isDigit(text[i + 1])) {
        i++;
        while (isDigit(text[i])) i++;
      } else if (text[i] === '.' && !isIdentStart(text[i + 1] ?? ' ')) {
        i++; // "1." is a valid decimal literal
      }
      if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1]) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2])))) {
        i += 2;
        while (isDigit(text[i])) i++;
      }
      const digits = text.slice(start, i);
      let suffix: string | undefined;
      const rest = text.slice(i, i + 3).toUpperCase();
      if (rest.startsWith('BD') && !isIdentPart(text[i + 2] ?? ' ')) suffix = 'BD';
      else if (/^[LSYDF]/.test(rest) && !isIdentPart(text[i + 1] ?? ' ')) suffix = rest[0]!;
      if (suffix) i += suffix.length;
      else if (isIdentPart(text[i] ?? ' ')) {
        // identifiers may start with digits in Spark (e.g. a column `1a`): read the whole word
        while (i < n && isIdentPart(text[i]!)) i++;
        push('ident', text.slice(start, i), start);
        continue;
      }
      push('number', digits, start, suffix ? { suffix } : {});
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i++;
      push('ident', text.slice(start, i), start);
      continue;
    }
    if (c === ':' && text[i + 1] !== ':' && isIdentStart(text[i + 1] ?? ' ') && !followsOperand(out, start)) {
      i++;
      while (i < n && isIdentPart(text[i]!)) i++;
      push('param', text.slice(start + 1, i), start);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new SqlError('PARSE_SYNTAX_ERROR', `Unexpected character '${c}' at position ${i}.`);
    i += op.length;
    push('op', op, start);
  }
  out.push({ kind: 'eof', value: '', upper: '', start: n, end: n });
  return out;
}

/**
 * The statements of a text, split at `;` tokens (never inside strings, quoted names or comments):
 * each is the source between two separators, trimmed; pieces holding no token are dropped. The
 * notebook runner splits SQL cells the same way (python/brickyard_runner/sqltext.py).
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  let hasToken = false;
  for (const t of tokenize(text)) {
    if (t.kind === 'eof' || (t.kind === 'op' && t.value === ';')) {
      const statement = text.slice(from, t.start).trim();
      if (hasToken && statement) out.push(statement);
      from = t.end;
      hasToken = false;
      continue;
    }
    hasToken = true;
  }
  return out;
}

/** `col:field` (no space) is Databricks' JSON path syntax, not a parameter marker. */
function followsOperand(out: Token[], at: number): boolean {
  const prev = out[out.length - 1];
  if (!prev || prev.end !== at) return false;
  return prev.kind === 'ident' || prev.kind === 'qident' || (prev.kind === 'op' && (prev.value === ')' || prev.value === ']'));
}

function skipBlockComment(text: string, from: number): number {
  // Spark supports nested bracketed comments
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new SqlError('PARSE_SYNTAX_ERROR', `Unclosed comment starting at position ${from}.`);
}

const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\u001a', '%': '\\%', _: '\\_' };

function readString(text: string, at: number, raw: boolean): { value: string; end: number } {
  const quote = text[at]!;
  let i = at + 1;
  let value = '';
  for (;;) {
    if (i >= text.length) throw new SqlError('PARSE_SYNTAX_ERROR', `Unterminated string literal starting at position ${at}.`);
    const ch = text[i]!;
    if (ch === quote) {
      i++;
      break;
    }
    if (ch === '\\' && !raw && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      if (/^[0-7]{3}$/.test(text.slice(i + 1, i + 4))) {
        value += String.fromCharCode(parseInt(text.slice(i + 1, i + 4), 8));
        i += 4;
        continue;
      }
      value += ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    if (ch === '\\' && raw && text[i + 1] === quote) {
      // a raw string still cannot contain its own quote unescaped; Spark keeps the backslash
      value += ch + quote;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return { value, end: i };
}

/** A cursor over tokens with keyword helpers, shared by the statement parsers. */
export class TokenCursor {
  pos = 0;
  constructor(readonly tokens: Token[], readonly text: string) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.upper === word;
  }
  isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === op;
  }
  /** Consumes the keyword sequence if present. */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.isKeyword(words[k]!, k)) return false;
    this.pos += words.length;
    return true;
  }
  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }
  expect(...words: string[]): void {
    if (!this.accept(...words)) throw this.unexpected(words.join(' '));
  }
  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.unexpected(`'${op}'`);
  }
  unexpected(wanted: string): SqlError {
    const t = this.peek();
    const found = t.kind === 'eof' ? 'end of input' : `'${this.text.slice(t.start, t.end)}'`;
    return new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${found}: expected ${wanted}.`);
  }
  /** An identifier (plain or backticked); keywords are fine as names here. */
  identifier(what: string): string {
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'qident') {
      this.pos++;
      return t.value;
    }
    throw this.unexpected(what);
  }
  /** a or a.b or a.b.c */
  qualifiedName(what: string): string[] {
    const parts = [this.identifier(what)];
    while (this.isOp('.') && (this.peek(1).kind === 'ident' || this.peek(1).kind === 'qident')) {
      this.pos++;
      parts.push(this.identifier(what));
    }
    return parts;
  }
  stringLiteral(what: string): string {
    const t = this.peek();
    if (t.kind !== 'string') throw this.unexpected(what);
    this.pos++;
    let value = t.value;
    // Spark concatenates adjacent string literals
    while (this.peek().kind === 'string' && !this.peek().hex) value += this.next().value;
    return value;
  }
  /** The raw source text from token index `from` up to (not including) the current token. */
  sliceFrom(from: number): Token[] {
    return this.tokens.slice(from, this.pos);
  }
}
