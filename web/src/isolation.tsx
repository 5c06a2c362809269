import type { NotebookIsolation } from '../../src/api/notebook-isolation.js';
import { useApi } from './hooks.js';

/** How notebook code is sandboxed in this workspace (asked once the user is signed in). */
export function useNotebookIsolation(signedIn: boolean): NotebookIsolation | undefined {
  return useApi<NotebookIsolation>(signedIn ? '/api/2.0/brickyard/notebook-isolation' : null).data;
}

/** A discreet note in the header when notebook code is fully sandboxed. */
export function IsolationIndicator({ isolation }: { isolation: NotebookIsolation | undefined }) {
  if (!isolation || isolation.warnings.length > 0) return null;
  return (
    <span className="isolation-ok" data-testid="notebook-isolation" title="Notebook code sees neither the state directory nor the server user's home, and reaches only this workspace's API">
      notebooks isolated ({isolation.sandbox})
    </span>
  );
}

/** A warning above every page when notebook code is not (fully) isolated. */
export function IsolationWarning({ isolation }: { isolation: NotebookIsolation | undefined }) {
  if (!isolation || isolation.warnings.length === 0) return null;
  return (
    <div className="isolation-warning" role="status" data-testid="notebook-isolation-warning">
      <strong>{isolation.isolated ? 'Notebooks can reach the host network.' : 'Notebooks are NOT isolated.'}</strong> {isolation.warnings.join(' ')}
    </div>
  );
}
