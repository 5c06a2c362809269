import { stateClass, stateLabel, type StateLike } from '../format.js';

/** A run or task state as a coloured badge. */
export function StateBadge({ state, testId }: { state: StateLike | undefined; testId?: string }) {
  return (
    <span className={`badge ${stateClass(state)}`} data-testid={testId}>
      {stateLabel(state)}
    </span>
  );
}

export function ErrorText({ error }: { error: string | undefined }) {
  return error ? <p className="error" role="alert">{error}</p> : null;
}
