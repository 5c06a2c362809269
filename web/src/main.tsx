import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ScimUser } from '../../src/api/scim.js';
import { getToken, setToken } from './api.js';
import { useApi, useHashRoute } from './hooks.js';
import { JobPage, JobsPage } from './pages-jobs.js';
import { RunPage } from './pages-run.js';
import { CatalogPage, WorkspacePage } from './pages-browse.js';
import { OutboxPage } from './pages-outbox.js';
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

function Me() {
  const { data, error } = useApi<ScimUser>('/api/2.0/preview/scim/v2/Me');
  if (error) return <span className="error">{error}</span>;
  return <span data-testid="me">{data?.userName ?? ''}</span>;
}

function Page({ route }: { route: string }) {
  const run = /^job\/(\d+)\/run\/(\d+)/.exec(route);
  if (run) return <RunPage jobId={run[1]!} runId={run[2]!} />;
  const job = /^job\/(\d+)/.exec(route);
  if (job) return <JobPage jobId={job[1]!} />;
  if (route.startsWith('workspace')) return <WorkspacePage path={decodeURIComponent(route.slice('workspace'.length))} />;
  if (route.startsWith('catalog')) return <CatalogPage path={decodeURIComponent(route.slice('catalog'.length))} />;
  if (route === 'outbox') return <OutboxPage />;
  return <JobsPage />;
}

function App() {
  const route = useHashRoute();
  const [signedIn, setSignedIn] = useState(Boolean(getToken()));
  const isolation = useNotebookIsolation(signedIn);
  return (
    <>
      <header>
        <h1>Brickyard</h1>
        <nav>
          <a href="#">Jobs</a> <a href="#workspace">Workspace</a> <a href="#catalog">Catalog</a> <a href="#outbox">Outbox</a>
        </nav>
        {signedIn && (
          <span>
            <IsolationIndicator isolation={isolation} /> <Me />{' '}
            <button onClick={() => { setToken(null); setSignedIn(false); }}>Sign out</button>
          </span>
        )}
      </header>
      {signedIn && <IsolationWarning isolation={isolation} />}
      <main>{signedIn ? <Page route={route} /> : <Login onDone={() => setSignedIn(true)} />}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
