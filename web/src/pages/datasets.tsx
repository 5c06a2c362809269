import { useEffect, useRef, useState } from 'react';
import type { DatasetInfo, DatasetSyncStatus, ListDatasetsResponse } from '../../../src/api/datasets.js';
import { api, ApiFailure } from '../api.js';
import { formatTime } from '../format.js';

/** Polling: quick while a sync is under way, backing off (up to 15 s) while nothing changes. */
const FAST_MS = 1000;
const SLOW_MS = 15_000;
const UNDER_WAY = new Set(['pending', 'syncing', 'retrying']);

/** The badge of a dataset's sync, as the seed's SyncStatusBadge shows it. */
export function SyncBadge({ sync }: { sync: DatasetSyncStatus }) {
  const [label, title] = ((): [string, string | undefined] => {
    switch (sync.sync_status) {
      case 'not_synced':
        return ['Local only', 'Kept as Parquet here; not synced'];
      case 'pending':
        return ['Pending', 'Waiting for a sync worker'];
      case 'syncing':
        return ['Syncing', sync.step ? `Step ${sync.step}, attempt ${sync.attempt}/${sync.max_attempts}` : undefined];
      case 'retrying':
        return [`Retrying ${sync.attempt}/${sync.max_attempts}`, sync.last_sync_error ?? undefined];
      case 'synced':
        return ['Synced', `${sync.bronze_table} · ${sync.silver_table}`];
      case 'failed':
        return ['Failed', sync.last_sync_error ?? undefined];
    }
  })();
  return (
    <span className={`ds-badge ds-badge-${sync.sync_status}`} data-testid={`badge-${sync.dataset_id}`} title={title}>
      {label}
    </span>
  );
}

/** The list, re-read on a timer that speeds up while syncs move and slows down when nothing changes. */
function useDatasets(): { data: DatasetInfo[] | undefined; error: string | undefined; reload: () => void } {
  const [data, setData] = useState<DatasetInfo[]>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const delay = useRef(FAST_MS);
  const last = useRef('');
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await api<ListDatasetsResponse>('/api/2.0/brickyard/datasets');
        if (stopped) return;
        const text = JSON.stringify(r.datasets);
        const moving = r.datasets.some((d) => UNDER_WAY.has(d.sync_status));
        delay.current = text !== last.current || moving ? FAST_MS : Math.min(SLOW_MS, delay.current * 2);
        last.current = text;
        setData(r.datasets);
        setError(undefined);
      } catch (e) {
        if (stopped) return;
        delay.current = Math.min(SLOW_MS, delay.current * 2);
        setError(e instanceof ApiFailure ? `${e.code}: ${e.message}` : String(e));
      }
      if (!stopped) timer = setTimeout(() => void load(), delay.current);
    };
    void load();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

function UploadForm({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [sync, setSync] = useState(true);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  return (
    <form
      className="upload"
      onSubmit={(e) => {
        e.preventDefault();
        if (!file) return;
        const form = new FormData();
        form.set('file', file);
        if (name.trim()) form.set('name', name.trim());
        if (description.trim()) form.set('description', description.trim());
        form.set('sync', sync ? 'true' : 'false');
        setBusy(true);
        setMessage(undefined);
        api<DatasetInfo>('/api/2.0/brickyard/datasets', { method: 'POST', body: form })
          .then((ds) => {
            setMessage(`Uploaded ${ds.name}: ${ds.row_count} rows`);
            setName('');
            setDescription('');
            onDone();
          })
          .catch((err: unknown) => setMessage(err instanceof ApiFailure ? `${err.code}: ${err.message}` : String(err)))
          .finally(() => setBusy(false));
      }}
    >
      <input aria-label="dataset file" type="file" accept=".csv,.json,.jsonl,.parquet" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      <input aria-label="dataset name" placeholder="name (default: the file's)" value={name} onChange={(e) => setName(e.target.value)} />
      <input aria-label="dataset description" placeholder="description" value={description} onChange={(e) => setDescription(e.target.value)} />
      <label>
        <input type="checkbox" checked={sync} onChange={(e) => setSync(e.target.checked)} /> sync to bronze/silver
      </label>
      <button type="submit" disabled={!file || busy}>{busy ? 'Uploading…' : 'Upload'}</button>
      {message && <span data-testid="upload-message">{message}</span>}
    </form>
  );
}

/** Datasets: uploads kept as Parquet here, with where their sync to bronze and silver tables stands. */
export function DatasetsPage() {
  const { data, error, reload } = useDatasets();
  return (
    <section>
      <h2>Datasets</h2>
      <UploadForm onDone={reload} />
      {error && <p className="error">{error}</p>}
      {!data ? (
        <p>Loading…</p>
      ) : data.length === 0 ? (
        <p>No datasets yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>Name</th><th>Description</th><th>Rows</th><th>Databricks status</th><th>Created</th></tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.id} data-testid={`dataset-${d.id}`}>
                <td>{d.name}</td>
                <td>{d.description}</td>
                <td>{d.row_count.toLocaleString()}</td>
                <td><SyncBadge sync={d.sync} /></td>
                <td>{formatTime(d.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
