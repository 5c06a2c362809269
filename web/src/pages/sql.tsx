import { useState } from 'react';
import { ApiFailure } from '../api.js';
import { runStatement, type StatementParam, type StatementResponse } from '../sql.js';
import { ResultTable } from '../components/result-table.js';
import { ErrorText } from '../components/state.js';

/** `name=value` per line into named parameters (`:name` in the statement). */
function parseParams(text: string): StatementParam[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? { name: l, value: '' } : { name: l.slice(0, eq).trim(), value: l.slice(eq + 1).trim() };
    });
}

export function SqlPage() {
  const [statement, setStatement] = useState('SELECT 1 AS one');
  const [params, setParams] = useState('');
  const [busy, setBusy] = useState(false);
  const [res, setRes] = useState<StatementResponse>();
  const [error, setError] = useState<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setRes(undefined);
    try {
      setRes(await runStatement(statement, parseParams(params)));
    } catch (e) {
      setError(e instanceof ApiFailure ? `${e.code}: ${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h2>SQL editor</h2>
      <form
        className="sql-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Statement (Ctrl+Enter runs it)
          <textarea
            aria-label="statement"
            rows={6}
            value={statement}
            onChange={(e) => setStatement(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void run();
              }
            }}
          />
        </label>
        <label>
          Parameters, one <code>name=value</code> per line (use <code>:name</code> in the statement)
          <textarea aria-label="parameters" rows={2} value={params} onChange={(e) => setParams(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || !statement.trim()}>{busy ? 'Running…' : 'Run'}</button>
      </form>
      <ErrorText error={error} />
      {res && <ResultTable res={res} />}
    </section>
  );
}
