import type { ListCatalogsResponse, ListSchemasResponse, ListTablesResponse } from '../../src/api/unity-catalog.js';
import type { ListResponse } from '../../src/api/workspace.js';
import { useApi } from './hooks.js';

export function WorkspacePage({ path }: { path: string }) {
  const p = path || '/';
  const { data, error } = useApi<ListResponse>(`/api/2.0/workspace/list?path=${encodeURIComponent(p)}`);
  const parent = p === '/' ? null : p.replace(/\/[^/]+$/, '') || '/';
  return (
    <section>
      <h2>Workspace: {p}</h2>
      {parent !== null && <p><a href={`#workspace${parent === '/' ? '' : parent}`}>← {parent}</a></p>}
      {error && <p className="error">{error}</p>}
      <ul>
        {(data?.objects ?? []).map((o) => (
          <li key={o.path}>
            {o.object_type === 'DIRECTORY' ? <a href={`#workspace${o.path}`}>{o.path?.split('/').pop()}/</a> : o.path?.split('/').pop()}
            {' '}<small>{o.object_type}{o.language ? ` · ${o.language}` : ''}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CatalogPage({ path }: { path: string }) {
  const [catalog, schema] = path.split('/').filter(Boolean);
  const url = !catalog
    ? '/api/2.1/unity-catalog/catalogs'
    : !schema
      ? `/api/2.1/unity-catalog/schemas?catalog_name=${encodeURIComponent(catalog)}`
      : `/api/2.1/unity-catalog/tables?catalog_name=${encodeURIComponent(catalog)}&schema_name=${encodeURIComponent(schema)}`;
  const { data, error } = useApi<ListCatalogsResponse & ListSchemasResponse & ListTablesResponse>(url);
  const items = data?.catalogs ?? data?.schemas ?? data?.tables ?? [];
  return (
    <section>
      <h2>Catalog {catalog ? `: ${[catalog, schema].filter(Boolean).join('.')}` : ''}</h2>
      {error && <p className="error">{error}</p>}
      <ul>
        {items.map((x) => (
          <li key={x.name}>
            {schema ? x.name : <a href={`#catalog/${[catalog, x.name].filter(Boolean).join('/')}`}>{x.name}</a>}
            {'table_type' in x && x.table_type && <small> {x.table_type}</small>}
            {x.comment && <small> — {x.comment}</small>}
          </li>
        ))}
      </ul>
    </section>
  );
}
