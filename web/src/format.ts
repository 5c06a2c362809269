export function formatTime(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

export function formatDuration(start: number | undefined, end: number | undefined): string {
  if (!start) return '—';
  const ms = (end || Date.now()) - start;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function stateLabel(s: { life_cycle_state?: string; result_state?: string } | undefined): string {
  if (!s) return 'UNKNOWN';
  return s.result_state ? `${s.life_cycle_state ?? ''} ${s.result_state}`.trim() : (s.life_cycle_state ?? 'UNKNOWN');
}

export function stateClass(s: { life_cycle_state?: string; result_state?: string } | undefined): string {
  const r = s?.result_state;
  if (r === 'SUCCESS') return 'ok';
  if (r && r !== 'SUCCESS') return 'bad';
  return 'busy';
}
