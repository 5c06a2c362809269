import { ApiError } from '../../core/errors.js';
import { getCatalog, getPermissions, getSchema, getTable, getVolume, normalizePrivilege, updatePermissions } from '../services/uc/store.js';
import { transferOwnership } from '../services/uc/ownership.js';
import { privilegeLabel } from '../services/uc/privileges.js';
import { displayName, SqlError, unsupported } from './errors.js';
import type { GrantStatement, SecurableKind } from './parse-grants.js';
import { emptyResult, stringsResult, type ResultSet } from './result.js';
import type { Session } from './session.js';
import { uc } from './uc-errors.js';

/** GRANT / REVOKE, SHOW GRANTS and ALTER … OWNER TO, answered from Unity Catalog with the caller's rights. */

/** The full name of a securable the statement names (session defaults applied), or the error Databricks gives when it does not exist. */
async function existingSecurable(session: Session, kind: SecurableKind, name: string[]): Promise<{ fullName: string; owner: string }> {
  switch (kind) {
    case 'catalog': {
      if (name.length !== 1) throw new SqlError('INVALID_IDENTIFIER', `A catalog name has one part, got ${displayName(name)}.`);
      const fullName = name[0]!.toLowerCase();
      const c = await getCatalog(session.ctx, fullName);
      if (!c) throw new SqlError('NO_SUCH_CATALOG_EXCEPTION', `The catalog ${displayName([fullName])} was not found.`, 'NOT_FOUND', '42704');
      return { fullName, owner: c.owner };
    }
    case 'schema': {
      const fullName = session.qualifySchema(name).join('.');
      const s = await getSchema(session.ctx, fullName);
      if (!s) throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName(fullName.split('.'))} cannot be found.`, 'NOT_FOUND', '42704');
      return { fullName, owner: s.owner };
    }
    case 'table': {
      const fullName = session.qualify(name).join('.');
      const t = await getTable(session.ctx, fullName);
      if (!t) throw new SqlError('TABLE_OR_VIEW_NOT_FOUND', `The table or view ${displayName(fullName.split('.'))} cannot be found.`, 'NOT_FOUND', '42P01');
      return { fullName, owner: t.owner };
    }
    case 'volume': {
      const fullName = session.qualify(name).join('.');
      const v = await getVolume(session.ctx, fullName);
      if (!v) throw new SqlError('RESOURCE_DOES_NOT_EXIST', `Volume '${fullName}' does not exist.`, 'NOT_FOUND');
      return { fullName, owner: v.owner };
    }
  }
}

export async function execGrant(session: Session, st: Extract<GrantStatement, { kind: 'grant' }>): Promise<ResultSet> {
  const privileges = st.privileges.map((p) => {
    try {
      return normalizePrivilege(p);
    } catch (err) {
      if (err instanceof ApiError) throw new SqlError('INVALID_PRIVILEGE', err.message);
      throw err;
    }
  });
  const { fullName } = await existingSecurable(session, st.securable, st.name);
  const change = st.revoke ? { principal: st.principal, remove: privileges } : { principal: st.principal, add: privileges };
  await session.commit(() => uc(() => updatePermissions(session.ctx, session.principal, { type: st.securable, fullName }, [change])));
  return emptyResult();
}

/**
 * `SHOW GRANTS [principal] ON …`: one row per privilege (`Principal`, `ActionType`, `ObjectType`,
 * `ObjectKey`, as Databricks answers), the owner as `OWN`. Who may see them is the grants API's rule:
 * MANAGE holders see all, others only their own.
 */
export async function execShowGrants(session: Session, st: Extract<GrantStatement, { kind: 'showGrants' }>): Promise<ResultSet> {
  const { fullName, owner } = await existingSecurable(session, st.securable, st.name);
  const assignments = await uc(() => getPermissions(session.ctx, session.principal, { type: st.securable, fullName }, st.principal));
  const objectType = st.securable.toUpperCase();
  const rows: string[][] = [];
  if (st.principal === undefined || st.principal.toLowerCase() === owner.toLowerCase()) rows.push([owner, 'OWN', objectType, fullName]);
  for (const a of assignments) for (const p of a.privileges) rows.push([a.principal, privilegeLabel(p), objectType, fullName]);
  return stringsResult(['Principal', 'ActionType', 'ObjectType', 'ObjectKey'], rows);
}

/** `ALTER CATALOG|SCHEMA|VOLUME … OWNER TO principal`: needs MANAGE (owners and admins have it). */
export async function execAlterOwner(session: Session, st: Extract<GrantStatement, { kind: 'alterOwner' }>): Promise<ResultSet> {
  if (st.securable === 'table') throw unsupported('ALTER TABLE ... OWNER TO', 'Catalogs, schemas and volumes can change owner.');
  const { fullName } = await existingSecurable(session, st.securable, st.name);
  await session.commit(() => uc(() => transferOwnership(session.ctx, session.principal, { type: st.securable, fullName }, st.principal)));
  return emptyResult();
}
