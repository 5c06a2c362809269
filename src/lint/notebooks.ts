/**
 * Line-by-line checks of notebooks and code files (seed 004): hard-coded tokens and workspace URLs,
 * writes to shared catalogs/schemas, table names and widget names. `.ipynb` files are scanned as
 * their JSON text, so lines and columns point into the file as the editor shows it (quotes appear
 * escaped there, which the patterns allow).
 */
import type { LintRules, RuleName } from './rules.js';
import type { LintSeverity } from '../project/schema-lint.js';

export interface LintFinding {
  rule: RuleName;
  severity: Exclude<LintSeverity, 'off'>;
  /** project-relative path */
  file: string;
  line: number;
  col: number;
  message: string;
  hint?: string;
}

const Q = `\\\\?["'\`]`;
const TOKEN = /\bdapi[0-9a-f]{32}(?:-\d+)?\b/g;
const WORKSPACE_URL = /https?:\/\/(?:[a-z0-9-]+\.cloud\.databricks\.com|adb-\d+\.\d+\.azuredatabricks\.net|[a-z0-9-]+\.gcp\.databricks\.com)\b/gi;
/** a table name as code writes it: literal parts and `{placeholders}` of f-strings */
const NAME = '[A-Za-z0-9_`{}]+(?:\\.[A-Za-z0-9_`{}]+){0,2}';
const WRITES = [
  new RegExp(`\\.(?:saveAsTable|insertInto|toTable)\\(\\s*f?${Q}(${NAME})${Q}`, 'g'),
  new RegExp(`\\b(?:CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE(?:\\s+IF\\s+NOT\\s+EXISTS)?|INSERT\\s+(?:INTO|OVERWRITE)(?:\\s+TABLE)?|MERGE\\s+INTO|DELETE\\s+FROM|UPDATE|TRUNCATE\\s+TABLE)\\s+(${NAME})`, 'g'),
];
const WIDGET = new RegExp(`dbutils\\.widgets\\.(?:text|dropdown|combobox|multiselect)\\(\\s*${Q}([^"'\`\\\\]+)${Q}`, 'g');

export function lintSource(file: string, text: string, rules: LintRules): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (rule: RuleName, severity: LintSeverity, line: number, col: number, message: string, hint?: string) => {
    if (severity !== 'off') findings.push({ rule, severity, file, line, col, message, ...(hint !== undefined ? { hint } : {}) });
  };
  text.split('\n').forEach((lineText, i) => {
    const line = i + 1;
    for (const m of lineText.matchAll(TOKEN)) {
      add('secrets', rules.secrets, line, m.index + 1, 'hard-coded Databricks token', 'read it from a secret scope (dbutils.secrets.get) or DATABRICKS_TOKEN; revoke this token');
    }
    for (const m of lineText.matchAll(WORKSPACE_URL)) {
      add('secrets', rules.secrets, line, m.index + 1, `hard-coded workspace URL ${m[0]}`, 'take the host from DATABRICKS_HOST or the target (workspace.host), so the code runs in every workspace');
    }
    for (const pattern of WRITES) {
      for (const m of lineText.matchAll(pattern)) checkWrittenTable(m[1] ?? '', line, m.index + 1 + m[0].lastIndexOf(m[1] ?? ''), rules, add);
    }
    for (const m of lineText.matchAll(WIDGET)) {
      const name = m[1] ?? '';
      if (!rules.identifiers.pattern.test(name)) {
        add('identifiers', rules.identifiers.severity, line, m.index + 1, `widget name "${name}" is not ${rules.identifiers.convention}`, 'name parameters like customer_id');
      }
    }
  });
  return findings;
}

type Add = (rule: RuleName, severity: LintSeverity, line: number, col: number, message: string, hint?: string) => void;

function checkWrittenTable(raw: string, line: number, col: number, rules: LintRules, add: Add): void {
  const name = raw.replace(/`/g, '');
  const parts = name.split('.');
  const literal = (p: string | undefined) => p !== undefined && !p.includes('{');
  const [catalog, schema] = parts.length === 3 ? parts : [undefined, parts.length === 2 ? parts[0] : undefined];
  if (literal(catalog) && rules.sharedCatalogs.includes(catalog!)) {
    add('shared-writes', rules.sharedWrites, line, col, `writes to ${name} in the shared catalog ${catalog}`, "read shared catalogs, write to your own schema (e.g. f\"{catalog}.{user_schema}.table\")");
  } else if (literal(schema) && rules.sharedSchemas.some((s) => s.test(schema!))) {
    add('shared-writes', rules.sharedWrites, line, col, `writes to ${name} in the shared schema ${schema}`, "write to your own schema instead (e.g. f\"{catalog}.{user_schema}.table\")");
  }
  // a placeholder part stands for a valid name; the literal parts must follow the convention
  const probe = parts.map((p) => (p.includes('{') ? 'x' : p)).join('.');
  if (parts.length !== 3 || !rules.tables.pattern.test(probe)) {
    add('tables', rules.tables.severity, line, col, `table name ${name} is not ${rules.tables.convention}`, 'name tables catalog.schema.noun_noun, e.g. ml_prod.fraud.transactions');
  }
}
