/**
 * Diagnostics: every configuration problem found by `loadProject` and `validateProject`.
 * A diagnostic always names a file position, the field path inside the configuration and a fix hint.
 */

export const SEVERITIES = ['error', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Stable diagnostic codes. Tools and tests match on these; never rename one. */
export const DiagnosticCode = {
  /** YAML/JSON syntax error, duplicate keys, unreadable file */
  parse: 'BY_PARSE',
  /** no databricks.yml and no --config files */
  noProject: 'BY_NO_PROJECT',
  /** a value has the wrong type or a required field is missing */
  schema: 'BY_SCHEMA',
  /** a field we do not know (warning) */
  unknownField: 'BY_UNKNOWN_FIELD',
  /** a Databricks Asset Bundles feature brickyard does not support (warning) */
  unsupported: 'BY_UNSUPPORTED',
  /** an include glob matched nothing (warning) */
  includeEmpty: 'BY_INCLUDE_EMPTY',
  /** two files define the same resource key */
  duplicateResource: 'BY_DUPLICATE_RESOURCE',
  /** target selection problems (unknown --target, ambiguous branch match, several defaults…) */
  target: 'BY_TARGET',
  /** `${var.x}` or `--var x=…` for a variable that is not declared */
  varUndefined: 'BY_VAR_UNDEFINED',
  /** a declared variable has no value (no --var, env, target value or default) */
  varUnset: 'BY_VAR_UNSET',
  /** a complex (mapping/list) variable used inside a longer string */
  varType: 'BY_VAR_TYPE',
  /** variables referencing each other in a loop */
  varCycle: 'BY_VAR_CYCLE',
  /** `${something}` that is not a known reference */
  refUnknown: 'BY_REF_UNKNOWN',
  /** Quartz cron expression or timezone is invalid */
  cron: 'BY_CRON',
  dupTaskKey: 'BY_DUP_TASK_KEY',
  invalidTaskKey: 'BY_INVALID_TASK_KEY',
  unknownDependency: 'BY_UNKNOWN_DEPENDENCY',
  cycle: 'BY_CYCLE',
  undefinedJobCluster: 'BY_UNDEFINED_JOB_CLUSTER',
  dupJobClusterKey: 'BY_DUP_JOB_CLUSTER_KEY',
  undefinedEnvironment: 'BY_UNDEFINED_ENVIRONMENT',
  /** more than one compute setting on a task (existing_cluster_id + new_cluster, …) */
  conflictingCompute: 'BY_CONFLICTING_COMPUTE',
  /** more than one of schedule / continuous / trigger */
  conflictingTriggers: 'BY_CONFLICTING_TRIGGERS',
  /** a task has no task type, or several */
  taskType: 'BY_TASK_TYPE',
  /** a number outside the range Databricks accepts */
  range: 'BY_RANGE',
  /** a relative notebook/file path that does not exist locally */
  missingFile: 'BY_MISSING_FILE',
  /** a relative path that leaves the project directory */
  pathOutsideProject: 'BY_PATH_OUTSIDE_PROJECT',
  /** two resources end up with the same job name */
  nameCollision: 'BY_NAME_COLLISION',
  /** a grant, group member or personal-schema rule names a principal or group the project does not declare */
  unknownPrincipal: 'BY_UNKNOWN_PRINCIPAL',
  /** a privilege Unity Catalog does not know, or one that does not apply to the securable */
  privilege: 'BY_PRIVILEGE',
  /** JSON configs whose absolute paths disagree on where the project files live (warning) */
  filesRoot: 'BY_FILES_ROOT',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** path relative to the project root, with forward slashes (absolute when outside it) */
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
  /** field path, e.g. `resources.jobs.train.tasks[1].depends_on[0].task_key`; '' for the whole file */
  path: string;
  hint: string;
}

export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type PathSegment = string | number;

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `['resources','jobs','train','tasks',1,'task_key']` → `resources.jobs.train.tasks[1].task_key` */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function joinPath(prefix: string, suffix: string): string {
  if (prefix === '') return suffix;
  if (suffix === '') return prefix;
  return suffix.startsWith('[') ? prefix + suffix : `${prefix}.${suffix}`;
}

/** `config/job.json:12:7: error BY_CRON schedule.quartz_cron_expression — message (hint: ...)` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path === '' ? '' : ` ${d.path}`;
  const hint = d.hint === '' ? '' : ` (hint: ${d.hint})`;
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}${where} — ${d.message}${hint}`;
}

export function makeDiagnostic(
  severity: Severity,
  code: DiagnosticCode,
  pos: SourcePos,
  path: string,
  message: string,
  hint: string,
): Diagnostic {
  return { severity, code, message, file: pos.file, line: pos.line, col: pos.col, path, hint };
}

/** Stable order: file, line, col, then errors before warnings. Exact duplicates are dropped. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = formatDiagnostic(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.code.localeCompare(b.code),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** Edit distance counting a swap of two neighbouring characters as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const up = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** The closest candidate when it is close enough to be a likely typo, else undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(Math.max(w.length, best.length) / 3)));
  return bestDist <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : `did you mean '${c}'?`;
}
