import type { CallsJson } from '../../../api/cli-deploy-output.js';
import type { CallCounter } from '../../../client/connect.js';

/** `{total, writes, by_endpoint: {"GET /api/2.2/jobs/list": 1, ...}}` for --json output and the benchmark. */
export function callsSummary(calls: CallCounter): CallsJson {
  const byEndpoint: Record<string, number> = {};
  for (const c of calls.calls) {
    const key = `${c.method} ${c.path.replace(/\?.*$/, '')}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
  }
  return { total: calls.total, writes: calls.writes, by_endpoint: byEndpoint };
}
