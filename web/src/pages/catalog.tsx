import { useEffect, useState } from 'react';
import type { EffectivePermissionsList, ListCatalogsResponse, ListSchemasResponse, ListTablesResponse, ListVolumesResponse, TableInfo } from '../../../src/api/unity-catalog.js';
import type { ListDirectoryResponse } from '../../../src/api/files.js';
import type { ScimUser } from '../api.js';
import { useApi } from '../hooks.js';
import { link } from '../routes.js';
import { ErrorText } from '../components/state.js';
import { ResultTable } from '../components/result-table.js';
import { quoteName, runStatement, type StatementResponse } from '../sql.js';

const PREVIEW_ROWS = 50;
const enc = encodeURIComponent;

function Crumbs({ parts }: { parts: string[] }) {
  return (
    <nav className="crumbs" aria-label="catalog path">
      <a href={link.catalog()}>Catalog</a>
      {parts[0] && <> / <a href={link.catalog(parts[0])}>{parts[0]}</a></>}
      {parts[1] && <> / <a href={link.catalog(parts[0], parts[1])}>{parts[1]}</a></>}
      {parts[2] && <> / {parts[2]}</>}
    </nav>
  );
}

function SchemaContents({ catalog, schema }: { catalog: string; schema: string }) {
  const tables = useApi<ListTablesResponse>(`/api/2.1/unity-catalog/tables?catalog_name=${enc(catalog)}&schema_name=${enc(schema)}`);
  const volumes = useApi<ListVolumesResponse>(`/api/2.1/unity-catalog/volumes?catalog_name=${enc(catalog)}&schema_name=${enc(schema)}`);
  const all = tables.data?.tables ?? [];
  const groups = [
    ['Tables', all.filter((t) => t.table_type !== 'VIEW')],
    ['Views', all.filter((t) => t.table_type === 'VIEW')],
  ] as const;
  return (
    <>
      <ErrorText error={tables.error} />
      {groups.map(([title, items]) => (
        <div key={title}>
          <h3>{title}</h3>
          {items.length === 0 ? <p className="muted">None.</p> : (
            <ul className="listing">
              {items.map((t) => (
                <li key={t.name}><a href={link.table(t.full_name ?? `${catalog}.${schema}.${t.name}`)}>{t.name}</a> <small className="muted">{t.table_type}{t.comment ? ` — ${t.comment}` : ''}</small></li>
              ))}
            </ul>
          )}
        </div>
      ))}
      <h3>Volumes</h3>
      <ErrorText error={volumes.error} />
      {(volumes.data?.volumes ?? []).length === 0 ? <p className="muted">None.</p> : (
        <ul className="listing">
          {(volumes.data?.volumes ?? []).map((v) => (
            <li key={v.name}><a href={link.volume(v.full_name ?? `${catalog}.${schema}.${v.name}`)}>{v.name}</a> <small className="muted">{v.volume_type}</small></li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CatalogPage({ catalog, schema }: { catalog?: string | undefined; schema?: string | undefined }) {
  const url = !catalog ? '/api/2.1/unity-catalog/catalogs' : !schema ? `/api/2.1/unity-catalog/schemas?catalog_name=${enc(catalog)}` : null;
  const { data, error } = useApi<ListCatalogsResponse & ListSchemasResponse>(url);
  const items = (!catalog ? data?.catalogs : data?.schemas) ?? [];
  return (
    <section>
      <h2>Catalog</h2>
      <Crumbs parts={[catalog, schema].filter((p): p is string => Boolean(p))} />
      {catalog && schema ? (
        <SchemaContents catalog={catalog} schema={schema} />
      ) : (
        <>
          <ErrorText error={error} />
          <ul className="listing" data-testid="catalog-list">
            {items.map((x) => (
              <li key={x.name}><a href={catalog ? link.catalog(catalog, x.name) : link.catalog(x.name)}>{x.name}</a>{x.comment && <small className="muted"> — {x.comment}</small>}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * Who holds which privilege on the securable, and where each comes from (this object, its schema or
 * catalog). Listing everyone's grants takes ownership or MANAGE, as on Databricks; anyone else sees
 * their own effective privileges.
 */
function EffectiveGrants({ type, fullName, me }: { type: 'table' | 'volume'; fullName: string; me: ScimUser | undefined }) {
  const base = `/api/2.1/unity-catalog/effective-permissions/${type}/${enc(fullName)}`;
  const everyone = useApi<EffectivePermissionsList>(base);
  const ownOnly = Boolean(everyone.error?.startsWith('PERMISSION_DENIED') && me?.userName);
  const mine = useApi<EffectivePermissionsList>(ownOnly ? `${base}?principal=${enc(me?.userName ?? '')}` : null);
  const { data, error } = ownOnly ? mine : everyone;
  if (error) return <ErrorText error={error} />;
  const rows = (data?.privilege_assignments ?? []).flatMap((a) => (a.privileges ?? []).map((p) => ({ principal: a.principal ?? '?', privilege: p.privilege ?? '?', from: p.inherited_from_name ? `${(p.inherited_from_type ?? '').toLowerCase()} ${p.inherited_from_name}` : `this ${type}` })));
  if (rows.length === 0) return <p className="muted">{ownOnly ? 'You hold no privileges here.' : 'No grants.'}</p>;
  return (
    <>
    {ownOnly && <p className="muted">Your own privileges (everyone's grants are shown to the owner and to holders of MANAGE).</p>}
    <table data-testid="grants">
      <thead><tr><th>Principal</th><th>Privilege</th><th>From</th></tr></thead>
      <tbody>{rows.map((r, i) => <tr key={i}><td>{r.principal}</td><td>{r.privilege}</td><td>{r.from}</td></tr>)}</tbody>
    </table>
    </>
  );
}

function Preview({ fullName }: { fullName: string }) {
  const [res, setRes] = useState<StatementResponse>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    runStatement(`SELECT * FROM ${quoteName(fullName)} LIMIT ${PREVIEW_ROWS}`, [], abort.signal).then(setRes, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => abort.abort();
  }, [fullName]);
  if (error) return <ErrorText error={error} />;
  if (!res) return <p>Loading the first {PREVIEW_ROWS} rows…</p>;
  return <ResultTable res={res} />;
}

export function TablePage({ fullName, me }: { fullName: string; me: ScimUser | undefined }) {
  const { data, error } = useApi<TableInfo>(`/api/2.1/unity-catalog/tables/${enc(fullName)}`);
  const [catalog = '', schema = '', name = ''] = fullName.split('.');
  return (
    <section>
      <h2>{data?.table_type === 'VIEW' ? 'View' : 'Table'} {name}</h2>
      <Crumbs parts={[catalog, schema, name]} />
      <ErrorText error={error} />
      {data && (
        <>
          <p className="muted">{data.table_type} · {data.data_source_format ?? '—'} · owner <span data-testid="owner">{data.owner ?? '—'}</span>{data.comment ? ` · ${data.comment}` : ''}</p>
          <h3>Columns</h3>
          <table data-testid="columns">
            <thead><tr><th>Name</th><th>Type</th><th>Nullable</th><th>Comment</th></tr></thead>
            <tbody>
              {(data.columns ?? []).map((c) => (
                <tr key={c.name}><td>{c.name}</td><td>{c.type_text}</td><td>{c.nullable === false ? 'no' : 'yes'}</td><td>{c.comment ?? ''}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>Preview</h3>
          <Preview fullName={fullName} />
          <h3>Grants</h3>
          <EffectiveGrants type="table" fullName={fullName} me={me} />
        </>
      )}
    </section>
  );
}

export function VolumePage({ fullName, path, me }: { fullName: string; path: string; me: ScimUser | undefined }) {
  const [catalog = '', schema = '', name = ''] = fullName.split('.');
  const dir = `/Volumes/${[catalog, schema, name].map(enc).join('/')}${path ? '/' + path.split('/').map(enc).join('/') : ''}`;
  const { data, error } = useApi<ListDirectoryResponse>(`/api/2.0/fs/directories${dir}/`);
  const parent = path.split('/').slice(0, -1).join('/');
  return (
    <section>
      <h2>Volume {name}{path ? ` / ${path}` : ''}</h2>
      <Crumbs parts={[catalog, schema, name]} />
      {path && <p><a href={link.volume(fullName, parent)}>← up</a></p>}
      <ErrorText error={error} />
      <ul className="listing" data-testid="volume-list">
        {data && (data.contents ?? []).length === 0 && <li className="muted">Empty.</li>}
        {(data?.contents ?? []).map((e) => (
          <li key={e.path}>
            {e.is_directory ? <a href={link.volume(fullName, [path, e.name].filter(Boolean).join('/'))}>{e.name}/</a> : e.name}{' '}
            {!e.is_directory && <small className="muted">{e.file_size} bytes</small>}
          </li>
        ))}
      </ul>
      <h3>Grants</h3>
      <EffectiveGrants type="volume" fullName={fullName} me={me} />
    </section>
  );
}
