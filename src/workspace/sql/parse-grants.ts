import { SqlError, unsupported } from './errors.js';
import type { TokenCursor } from './tokens.js';

/** GRANT / REVOKE, SHOW GRANTS and ALTER … OWNER TO: the statements about who may do what. */

export type SecurableKind = 'catalog' | 'schema' | 'table' | 'volume';

export type GrantStatement =
  | { kind: 'grant'; revoke: boolean; privileges: string[]; securable: SecurableKind; name: string[]; principal: string }
  | { kind: 'showGrants'; principal?: string; securable: SecurableKind; name: string[] }
  | { kind: 'alterOwner'; securable: SecurableKind; name: string[]; principal: string };

const SECURABLES: Record<string, SecurableKind> = { CATALOG: 'catalog', SCHEMA: 'schema', DATABASE: 'schema', TABLE: 'table', VOLUME: 'volume' };

export function parseGrant(cur: TokenCursor): GrantStatement {
  const revoke = cur.next().upper === 'REVOKE';
  const privileges: string[] = [];
  do {
    const words: string[] = [];
    while (cur.peek().kind === 'ident' && cur.peek().upper !== 'ON') words.push(cur.next().value);
    if (words.length === 0) throw cur.unexpected('a privilege');
    privileges.push(words.join(' '));
  } while (cur.acceptOp(','));
  cur.expect('ON');
  const kindWord = cur.peek();
  if (kindWord.kind === 'ident' && ['FUNCTION', 'METASTORE', 'SHARE', 'CONNECTION', 'EXTERNAL', 'STORAGE', 'VIEW', 'ANONYMOUS', 'ANY'].includes(kindWord.upper)) {
    throw unsupported(`GRANT/REVOKE ON ${kindWord.upper}`);
  }
  let securable = kindWord.kind === 'ident' ? SECURABLES[kindWord.upper] : undefined;
  // `GRANT SELECT ON t TO x`: the TABLE keyword is optional
  if (securable && (cur.peek(1).kind === 'ident' || cur.peek(1).kind === 'qident')) cur.next();
  else securable = 'table';
  const name = cur.qualifiedName(`a ${securable} name`);
  if (revoke) cur.expect('FROM');
  else cur.expect('TO');
  const p = cur.next();
  if (p.kind !== 'qident' && p.kind !== 'ident' && p.kind !== 'string') throw new SqlError('PARSE_SYNTAX_ERROR', 'Expected a principal after TO/FROM.');
  return { kind: 'grant', revoke, privileges, securable, name, principal: p.value };
}

function principalToken(cur: TokenCursor, after: string): string {
  const p = cur.next();
  if (p.kind !== 'qident' && p.kind !== 'ident' && p.kind !== 'string') throw new SqlError('PARSE_SYNTAX_ERROR', `Expected a principal after ${after}.`);
  return p.value;
}

function securableWord(cur: TokenCursor, what: string): SecurableKind {
  const word = cur.peek();
  const kind = word.kind === 'ident' ? SECURABLES[word.upper] : undefined;
  if (kind === undefined) throw unsupported(`${what} ON ${word.value.toUpperCase()}`, 'The local workspace supports catalogs, schemas, tables and volumes.');
  cur.next();
  return kind;
}

/** `SHOW GRANTS [principal] ON CATALOG|SCHEMA|TABLE|VOLUME name` (the TABLE keyword is optional). */
export function parseShowGrants(cur: TokenCursor): GrantStatement {
  let principal: string | undefined;
  if (!cur.isKeyword('ON')) principal = principalToken(cur, 'SHOW GRANTS');
  cur.expect('ON');
  const next = cur.peek(1);
  const securable = next.kind === 'ident' || next.kind === 'qident' ? securableWord(cur, 'SHOW GRANTS') : 'table';
  const name = cur.qualifiedName(`a ${securable} name`);
  return { kind: 'showGrants', securable, name, ...(principal !== undefined ? { principal } : {}) };
}

/** `ALTER CATALOG|SCHEMA|DATABASE|VOLUME name [SET] OWNER TO principal`; other ALTER statements are refused by name. */
export function parseAlterOwner(cur: TokenCursor): GrantStatement {
  cur.expect('ALTER');
  const securable = securableWord(cur, 'ALTER');
  const name = cur.qualifiedName(`a ${securable} name`);
  cur.accept('SET');
  if (!cur.accept('OWNER')) throw unsupported(`ALTER ${securable.toUpperCase()} ... ${cur.peek().value.toUpperCase()}`, 'The local workspace supports ALTER ... OWNER TO.');
  cur.expect('TO');
  return { kind: 'alterOwner', securable, name, principal: principalToken(cur, 'OWNER TO') };
}
