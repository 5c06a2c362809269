import type { StatementResponse } from '../sql.js';

/** A statement's result as a table, or its error with the Databricks error code. */
export function ResultTable({ res }: { res: StatementResponse }) {
  const state = res.status?.state;
  if (state === 'FAILED' || state === 'CANCELED' || state === 'CLOSED') {
    const err = res.status?.error;
    return (
      <p className="error" role="alert" data-testid="statement-error">
        {err?.error_code ?? state}: {err?.message ?? `the statement ended ${state}`}
      </p>
    );
  }
  const columns = res.manifest?.schema?.columns ?? [];
  const rows = res.result?.data_array ?? [];
  return (
    <div className="scroll">
      <table data-testid="result-table">
        <thead>
          <tr>{columns.map((c) => <th key={c.name} title={c.type_text}>{c.name}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>{row.map((v, k) => <td key={k} className={v === null ? 'muted' : undefined}>{v === null ? 'NULL' : v}</td>)}</tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{rows.length} row{rows.length === 1 ? '' : 's'}{res.manifest?.truncated ? ' (truncated)' : ''}</p>
    </div>
  );
}
