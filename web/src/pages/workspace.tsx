import type { ListResponse } from '../../../src/api/workspace.js';
import type { workspace } from '@databricks/sdk-experimental';
import { useApi } from '../hooks.js';
import { link } from '../routes.js';
import { ErrorText } from '../components/state.js';
import { NotebookView, type Ipynb } from '../components/notebook-view.js';

function decodeBase64(content: string | undefined): Uint8Array {
  const bin = atob(content ?? '');
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function Breadcrumbs({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean);
  return (
    <nav className="crumbs" aria-label="path">
      <a href={link.workspace('/')}>Workspace</a>
      {parts.map((p, i) => (
        <span key={i}> / <a href={link.workspace('/' + parts.slice(0, i + 1).join('/'))}>{p}</a></span>
      ))}
    </nav>
  );
}

function Directory({ path }: { path: string }) {
  const { data, error } = useApi<ListResponse>(`/api/2.0/workspace/list?path=${encodeURIComponent(path)}`);
  if (error) return <ErrorText error={error} />;
  const objects = [...(data?.objects ?? [])].sort((a, b) => Number(b.object_type === 'DIRECTORY') - Number(a.object_type === 'DIRECTORY') || (a.path ?? '').localeCompare(b.path ?? ''));
  return (
    <ul className="listing" data-testid="workspace-list">
      {data && objects.length === 0 && <li className="muted">Empty folder.</li>}
      {objects.map((o) => (
        <li key={o.path}>
          <a href={link.workspace(o.path ?? '/')}>{o.path?.split('/').pop()}{o.object_type === 'DIRECTORY' ? '/' : ''}</a>{' '}
          <small className="muted">{o.object_type}{o.language ? ` · ${o.language}` : ''}</small>
        </li>
      ))}
    </ul>
  );
}

function NotebookObject({ path }: { path: string }) {
  const { data, error } = useApi<workspace.ExportResponse>(`/api/2.0/workspace/export?path=${encodeURIComponent(path)}&format=JUPYTER`);
  if (error) return <ErrorText error={error} />;
  if (!data) return <p>Loading…</p>;
  let notebook: Ipynb;
  try {
    notebook = JSON.parse(new TextDecoder().decode(decodeBase64(data.content))) as Ipynb;
  } catch {
    return <ErrorText error={`${path} did not export as a readable notebook`} />;
  }
  return <NotebookView notebook={notebook} />;
}

function FileObject({ path }: { path: string }) {
  const { data, error } = useApi<workspace.ExportResponse>(`/api/2.0/workspace/export?path=${encodeURIComponent(path)}&format=AUTO`);
  if (error) return <ErrorText error={error} />;
  if (!data) return <p>Loading…</p>;
  const bytes = decodeBase64(data.content);
  if (bytes.includes(0)) return <p className="muted">Binary file, {bytes.length} bytes.</p>;
  return <pre data-testid="file-content">{new TextDecoder().decode(bytes)}</pre>;
}

export function WorkspacePage({ path }: { path: string }) {
  const status = useApi<workspace.ObjectInfo>(path === '/' ? null : `/api/2.0/workspace/get-status?path=${encodeURIComponent(path)}`);
  const kind = path === '/' ? 'DIRECTORY' : status.data?.object_type;
  return (
    <section>
      <h2>Workspace</h2>
      <Breadcrumbs path={path} />
      <ErrorText error={status.error} />
      {kind === 'DIRECTORY' || kind === 'REPO' ? <Directory path={path} /> : kind === 'NOTEBOOK' ? <NotebookObject path={path} /> : kind === 'FILE' ? <FileObject path={path} /> : null}
    </section>
  );
}
