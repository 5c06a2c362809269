/**
 * Every page has a stable deep link in the URL's hash. One parser and one set of link builders,
 * so a link written anywhere in the UI is the link the parser reads.
 */
export type Route =
  | { page: 'jobs' }
  | { page: 'job'; jobId: string; tab: JobTab }
  | { page: 'run'; jobId: string; runId: string }
  | { page: 'workspace'; path: string }
  | { page: 'catalog'; catalog?: string; schema?: string }
  | { page: 'table'; fullName: string }
  | { page: 'volume'; fullName: string; path: string }
  | { page: 'sql' }
  | { page: 'datasets' }
  | { page: 'outbox' };

export const JOB_TABS = ['runs', 'settings', 'permissions'] as const;
export type JobTab = (typeof JOB_TABS)[number];

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, '');
  const run = /^job\/(\d+)\/run\/(\d+)/.exec(h);
  if (run) return { page: 'run', jobId: run[1]!, runId: run[2]! };
  const job = /^job\/(\d+)(?:\/(\w+))?/.exec(h);
  if (job) return { page: 'job', jobId: job[1]!, tab: (JOB_TABS as readonly string[]).includes(job[2] ?? '') ? (job[2] as JobTab) : 'runs' };
  if (h === 'workspace' || h.startsWith('workspace/')) return { page: 'workspace', path: decode(h.slice('workspace'.length)) || '/' };
  if (h.startsWith('table/')) return { page: 'table', fullName: decode(h.slice('table/'.length)) };
  if (h.startsWith('volume/')) {
    const [fullName = '', ...rest] = h.slice('volume/'.length).split('/');
    return { page: 'volume', fullName: decode(fullName), path: rest.map(decode).join('/') };
  }
  if (h === 'catalog' || h.startsWith('catalog/')) {
    const [catalog, schema] = h.slice('catalog'.length).split('/').filter(Boolean).map(decode);
    return { page: 'catalog', ...(catalog ? { catalog } : {}), ...(schema ? { schema } : {}) };
  }
  if (h === 'sql') return { page: 'sql' };
  if (h === 'outbox') return { page: 'outbox' };
  if (h === 'datasets') return { page: 'datasets' };
  return { page: 'jobs' };
}

const enc = encodeURIComponent;

export const link = {
  jobs: () => '#',
  job: (jobId: number | string, tab: JobTab = 'runs') => (tab === 'runs' ? `#job/${jobId}` : `#job/${jobId}/${tab}`),
  run: (jobId: number | string, runId: number | string) => `#job/${jobId}/run/${runId}`,
  workspace: (path: string) => (path === '/' || path === '' ? '#workspace' : `#workspace${path.split('/').map(enc).join('/')}`),
  catalog: (catalog?: string, schema?: string) => ['#catalog', ...[catalog, schema].filter((p): p is string => Boolean(p)).map(enc)].join('/'),
  table: (fullName: string) => `#table/${enc(fullName)}`,
  volume: (fullName: string, path = '') => `#volume/${enc(fullName)}${path ? '/' + path.split('/').filter(Boolean).map(enc).join('/') : ''}`,
  sql: () => '#sql',
  outbox: () => '#outbox',
  datasets: () => '#datasets',
};
