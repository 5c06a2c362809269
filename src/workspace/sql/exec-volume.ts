import { createVolume, deleteVolume, getSchema, getVolume } from '../services/uc/store.js';
import { displayName, SqlError } from './errors.js';
import type { Statement } from './parse.js';
import { emptyResult, type ResultSet } from './result.js';
import type { Session } from './session.js';
import { uc } from './uc-errors.js';

/** CREATE VOLUME / DROP VOLUME: managed volumes in Unity Catalog (their files under /Volumes/c/s/v). */

export async function execCreateVolume(session: Session, st: Extract<Statement, { kind: 'createVolume' }>): Promise<ResultSet> {
  const [catalog, schema, name] = session.qualify(st.name);
  if (!(await getSchema(session.ctx, `${catalog}.${schema}`))) {
    throw new SqlError('SCHEMA_NOT_FOUND', `The schema ${displayName([catalog, schema])} cannot be found.`, 'NOT_FOUND', '42704');
  }
  // permission first, so IF NOT EXISTS does not tell a caller without it whether the volume exists
  await session.authorize('CREATE_VOLUME', 'schema', `${catalog}.${schema}`);
  if (await getVolume(session.ctx, `${catalog}.${schema}.${name}`)) {
    if (st.ifNotExists) return emptyResult();
    throw new SqlError('VOLUME_ALREADY_EXISTS', `Cannot create volume ${displayName([catalog, schema, name])} because it already exists.`, 'ALREADY_EXISTS', '42000');
  }
  await session.commit(() =>
    uc(() =>
      createVolume(session.ctx, session.principal, { catalog_name: catalog, schema_name: schema, name, volume_type: 'MANAGED', ...(st.comment !== undefined ? { comment: st.comment } : {}) }),
    ).catch((err: unknown) => {
      if (st.ifNotExists && err instanceof SqlError && err.serviceCode === 'ALREADY_EXISTS') return;
      throw err;
    }),
  );
  return emptyResult();
}

export async function execDropVolume(session: Session, st: Extract<Statement, { kind: 'dropVolume' }>): Promise<ResultSet> {
  const full = session.qualify(st.name);
  if (!(await getVolume(session.ctx, full.join('.')))) {
    if (st.ifExists) return emptyResult();
    throw new SqlError('VOLUME_NOT_FOUND', `The volume ${displayName(full)} cannot be found.`, 'NOT_FOUND', '42704');
  }
  await session.authorize('MANAGE', 'volume', full.join('.'));
  await session.commit(() => uc(() => deleteVolume(session.ctx, full.join('.'))));
  return emptyResult();
}
