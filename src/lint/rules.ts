/**
 * The rules of `brickyard lint`, resolved from the `lint:` section (schema-lint.ts) with the seeds'
 * conventions as defaults: naming (seed 002) for tables, jobs and identifiers, and the notebook checks
 * of seed 004 (no hard-coded tokens or workspace URLs, no writes to shared catalogs/schemas).
 */
import {
  DEFAULT_PATTERNS,
  IDENTIFIER_CONVENTION,
  JOB_CONVENTION,
  TABLE_CONVENTION,
  type LintConfig,
  type LintSeverity,
} from '../project/schema-lint.js';

export const RULE_NAMES = ['tables', 'jobs', 'identifiers', 'secrets', 'shared-writes'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface NamingRule {
  severity: LintSeverity;
  pattern: RegExp;
  /** how the diagnostic names the expected form */
  convention: string;
}

export interface LintRules {
  tables: NamingRule;
  jobs: NamingRule;
  identifiers: NamingRule;
  secrets: LintSeverity;
  sharedWrites: LintSeverity;
  sharedCatalogs: string[];
  sharedSchemas: RegExp[];
}

export const DEFAULT_SHARED_SCHEMAS = ['shared_*'];

function naming(value: string | { pattern?: string | undefined; severity?: LintSeverity | undefined } | undefined, convention: string, defaultPattern: string): NamingRule {
  if (value === 'off') return { severity: 'off', pattern: new RegExp(defaultPattern), convention };
  if (value === undefined || typeof value === 'string') return { severity: 'error', pattern: new RegExp(defaultPattern), convention };
  return {
    severity: value.severity ?? 'error',
    pattern: new RegExp(value.pattern ?? defaultPattern),
    convention: value.pattern === undefined ? convention : `/${value.pattern}/`,
  };
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

export function resolveRules(config: LintConfig | undefined): LintRules {
  const c = config ?? {};
  return {
    tables: naming(c.tables, TABLE_CONVENTION, DEFAULT_PATTERNS.table),
    jobs: naming(c.jobs, JOB_CONVENTION, DEFAULT_PATTERNS.job),
    identifiers: naming(c.identifiers, IDENTIFIER_CONVENTION, DEFAULT_PATTERNS.identifier),
    secrets: c.secrets ?? 'error',
    sharedWrites: c.shared_writes ?? 'error',
    sharedCatalogs: c.shared_catalogs ?? [],
    sharedSchemas: (c.shared_schemas ?? DEFAULT_SHARED_SCHEMAS).map(glob),
  };
}
