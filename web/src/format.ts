export function formatTime(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

export function formatDuration(start: number | undefined, end: number | undefined): string {
  if (!start) return '—';
  const ms = (end || Date.now()) - start;
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

export interface StateLike {
  life_cycle_state?: string;
  result_state?: string;
}

export function stateLabel(s: StateLike | undefined): string {
  if (!s) return 'UNKNOWN';
  return s.result_state ? `${s.life_cycle_state ?? ''} ${s.result_state}`.trim() : (s.life_cycle_state ?? 'UNKNOWN');
}

/** One colour class per state: finished well, finished badly, skipped, still going. */
export function stateClass(s: StateLike | undefined): 'ok' | 'bad' | 'skipped' | 'busy' {
  const r = s?.result_state;
  if (r === 'SUCCESS' || r === 'SUCCESS_WITH_FAILURES') return 'ok';
  if (r === 'EXCLUDED' || s?.life_cycle_state === 'SKIPPED' || r === 'UPSTREAM_CANCELED' || r === 'CANCELED') return 'skipped';
  if (r || s?.life_cycle_state === 'INTERNAL_ERROR') return 'bad';
  return 'busy';
}

export function isTerminal(s: StateLike | undefined): boolean {
  return ['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'].includes(s?.life_cycle_state ?? '');
}
