import { quoteString, SqlError } from '../errors.js';
import { tokenize, type Token } from '../tokens.js';
import type { BoundParam } from './env.js';
import { boundParam, matchingParen, reserved } from './token-utils.js';

/**
 * IDENTIFIER(<constant string expression>): string literals and named STRING parameters joined
 * with ||, evaluated before anything is parsed and replaced by the (qualified) name's tokens, so
 * it works wherever a name may stand: table and column references, and statement targets
 * (INSERT INTO IDENTIFIER(:t), DELETE FROM IDENTIFIER(:t), ...).
 */
export function bindIdentifierClauses(tokens: readonly Token[], params: ReadonlyMap<string, BoundParam>): readonly Token[] {
  if (!tokens.some((t) => t.kind === 'ident' && t.upper === 'IDENTIFIER')) return tokens;
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const afterDot = prev?.kind === 'op' && prev.value === '.';
    if (t.kind === 'ident' && t.upper === 'IDENTIFIER' && !afterDot && tokens[i + 1]?.kind === 'op' && tokens[i + 1]!.value === '(') {
      const close = matchingParen(tokens, i + 1);
      const parts = nameParts(constantString(tokens.slice(i + 2, close), params));
      parts.forEach((part, k) => {
        if (k > 0) out.push({ kind: 'op', value: '.', upper: '', start: t.start, end: t.start });
        out.push({ kind: 'qident', value: part, upper: '', start: t.start, end: tokens[close]!.end });
      });
      i = close;
      continue;
    }
    out.push(t);
  }
  return out;
}

function constantString(arg: readonly Token[], params: ReadonlyMap<string, BoundParam>): string {
  let text = '';
  if (arg.length % 2 === 0) throw identifierError();
  for (let k = 0; k < arg.length; k++) {
    const t = arg[k]!;
    if (k % 2 === 1) {
      if (t.kind === 'op' && t.value === '||') continue;
      throw identifierError();
    }
    if (t.kind === 'string' && !t.hex) text += t.value;
    else if (t.kind === 'param') {
      const p = boundParam(t.value, params);
      if (p.value === null || p.type.kind !== 'string') throw identifierError();
      text += p.value;
    } else throw identifierError();
  }
  return text;
}

/** `a.b.c` or `` `a b`.c `` → its parts; anything else is not a name. */
function nameParts(text: string): string[] {
  const invalid = () => new SqlError('PARSE_SYNTAX_ERROR', `The IDENTIFIER clause argument ${quoteString(text)} is not a valid (qualified) name.`, 'BAD_REQUEST', '42601');
  let name: Token[];
  try {
    name = tokenize(text);
  } catch {
    throw invalid();
  }
  const parts: string[] = [];
  // name (. name)* eof
  if (name.length % 2 !== 0) throw invalid();
  for (let k = 0; k < name.length - 1; k++) {
    const t = name[k]!;
    if (k % 2 === 0 && (t.kind === 'ident' || t.kind === 'qident')) parts.push(t.value);
    else if (!(k % 2 === 1 && t.kind === 'op' && t.value === '.')) throw invalid();
  }
  if (parts.length === 0) throw invalid();
  for (const p of parts) reserved(p);
  return parts;
}

function identifierError(): SqlError {
  return new SqlError(
    'NOT_A_CONSTANT_STRING',
    'The expression used for the IDENTIFIER clause must be a constant STRING: string literals and STRING parameters joined with ||.',
    'BAD_REQUEST',
    '42601',
  );
}
