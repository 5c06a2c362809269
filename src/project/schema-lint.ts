/**
 * The `lint:` section of databricks.yml: which conventions `brickyard lint` enforces (seed 002's
 * naming rules, seed 004's notebook checks) and how severely. Every rule has a short form
 * (`jobs: domain-action-frequency`, `jobs: off`) and a long one (`jobs: { pattern: …, severity: warning }`).
 */
import { z } from 'zod';

export const LINT_SEVERITIES = ['error', 'warning', 'off'] as const;
export const LintSeveritySchema = z.enum(LINT_SEVERITIES);
export type LintSeverity = z.infer<typeof LintSeveritySchema>;

/** `catalog.schema.noun_noun`: three snake_case parts (e.g. ml_prod.fraud.transactions). */
export const TABLE_CONVENTION = 'catalog.schema.noun_noun';
/** `domain-action-frequency` (e.g. fraud-training-daily). */
export const JOB_CONVENTION = 'domain-action-frequency';
export const IDENTIFIER_CONVENTION = 'snake_case';
export const JOB_FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'manual', 'triggered', 'continuous', 'streaming'] as const;

const WORD = '[a-z][a-z0-9]*(?:_[a-z0-9]+)*';
export const DEFAULT_PATTERNS = {
  table: `^${WORD}\\.${WORD}\\.${WORD}$`,
  job: `^${WORD}-${WORD}-(?:${JOB_FREQUENCIES.join('|')})$`,
  identifier: `^${WORD}$`,
} as const;

const Pattern = z.string().refine(
  (p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

/** A naming rule: the convention's name, `off`, or a custom pattern with a severity. */
function namingRule<const C extends string>(convention: C) {
  return z.union([
    z.literal(convention),
    z.literal('off'),
    z.object({ pattern: Pattern.optional(), severity: LintSeveritySchema.optional() }).strict(),
  ]);
}

export const LintConfigSchema = z
  .object({
    tables: namingRule(TABLE_CONVENTION).optional(),
    jobs: namingRule(JOB_CONVENTION).optional(),
    identifiers: namingRule(IDENTIFIER_CONVENTION).optional(),
    /** hard-coded `dapi…` tokens and workspace URLs in notebooks and code */
    secrets: LintSeveritySchema.optional(),
    /** catalogs notebooks may read from but never write to (reference data shared by everyone) */
    shared_catalogs: z.array(z.string()).optional(),
    /** schema name globs that are shared (default `shared_*`): writes there overwrite other users' data */
    shared_schemas: z.array(z.string()).optional(),
    /** severity of writes to a shared catalog or schema */
    shared_writes: LintSeveritySchema.optional(),
  })
  .strict();
export type LintConfig = z.infer<typeof LintConfigSchema>;
