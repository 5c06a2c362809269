import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { getToken, setToken, type ScimUser } from './api.js';
import { useApi, useHash } from './hooks.js';
import { link, parseRoute, type Route } from './routes.js';
import { JobsPage } from './pages/jobs.js';
import { JobPage } from './pages/job.js';
import { RunPage } from './pages/run.js';
import { WorkspacePage } from './pages/workspace.js';
import { CatalogPage, TablePage, VolumePage } from './pages/catalog.js';
import { SqlPage } from './pages/sql.js';
import { OutboxPage } from './pages/outbox.js';
import { DatasetsPage } from './pages/datasets.js';
import { IsolationIndicator, IsolationWarning, useNotebookIsolation } from './isolation.js';
import './style.css';

function Login({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="login"
      onSubmit={(e) => {
        e.preventDefault();
        setToken(value.trim());
        onDone();
      }}
    >
      <h2>Sign in</h2>
      <p>Paste the personal access token that <code>brickyard up</code> printed (or one from <code>/api/2.0/token/create</code>). It stays in this browser.</p>
      <input aria-label="token" type="password" value={value} onChange={(e) => setValue(e.target.value)} placeholder="dapi…" />
      <button type="submit" disabled={!value.trim()}>Sign in</button>
    </form>
  );
}

function Page({ route, me }: { route: Route; me: ScimUser | undefined }) {
  switch (route.page) {
    case 'run':
      return <RunPage jobId={route.jobId} runId={route.runId} me={me} />;
    case 'job':
      return <JobPage jobId={route.jobId} tab={route.tab} />;
    case 'workspace':
      return <WorkspacePage path={route.path} />;
    case 'catalog':
      return <CatalogPage catalog={route.catalog} schema={route.schema} />;
    case 'table':
      return <TablePage fullName={route.fullName} me={me} />;
    case 'volume':
      return <VolumePage fullName={route.fullName} path={route.path} me={me} />;
    case 'sql':
      return <SqlPage />;
    case 'outbox':
      return <OutboxPage />;
    case 'datasets':
      return <DatasetsPage />;
    case 'jobs':
      return <JobsPage />;
  }
}

const NAV: Array<[label: string, href: string, pages: Array<Route['page']>]> = [
  ['Jobs', link.jobs(), ['jobs', 'job', 'run']],
  ['Workspace', link.workspace('/'), ['workspace']],
  ['Catalog', link.catalog(), ['catalog', 'table', 'volume']],
  ['SQL', link.sql(), ['sql']],
  ['Datasets', link.datasets(), ['datasets']],
  ['Outbox', link.outbox(), ['outbox']],
];

function SignedIn({ route, onSignOut }: { route: Route; onSignOut: () => void }) {
  const me = useApi<ScimUser>('/api/2.0/preview/scim/v2/Me');
  const isolation = useNotebookIsolation(true);
  return (
    <>
      <header>
        <h1><a href={link.jobs()}>Brickyard</a></h1>
        <nav aria-label="main">
          {NAV.map(([label, href, pages]) => (
            <a key={label} href={href} aria-current={pages.includes(route.page) ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <span className="who">
          <IsolationIndicator isolation={isolation} />
          {me.error ? <span className="error">{me.error}</span> : <span data-testid="me">{me.data?.userName ?? ''}</span>}{' '}
          <button onClick={onSignOut}>Sign out</button>
        </span>
      </header>
      <IsolationWarning isolation={isolation} />
      <main><Page route={route} me={me.data} /></main>
    </>
  );
}

function App() {
  const route = parseRoute(useHash());
  const [signedIn, setSignedIn] = useState(Boolean(getToken()));
  if (!signedIn) {
    return (
      <>
        <header><h1>Brickyard</h1></header>
        <main><Login onDone={() => setSignedIn(true)} /></main>
      </>
    );
  }
  return <SignedIn route={route} onSignOut={() => { setToken(null); setSignedIn(false); }} />;
}

createRoot(document.getElementById('root')!).render(<App />);
