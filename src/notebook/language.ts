/**
 * Notebook languages and the per-language syntax of the Databricks SOURCE format.
 */

export type Language = 'PYTHON' | 'SQL' | 'SCALA' | 'R';

export const LANGUAGES: readonly Language[] = ['PYTHON', 'SQL', 'SCALA', 'R'];

/** File extension (lower case, with dot) a notebook of each language is exported with. */
export type NotebookSourceExtension = '.py' | '.sql' | '.scala' | '.r';

export interface LanguageSyntax {
  /** Line-comment prefix, e.g. `#`. */
  readonly comment: string;
  /** First line of every SOURCE notebook, e.g. `# Databricks notebook source`. */
  readonly header: string;
  /** Line between two cells, e.g. `# COMMAND ----------`. */
  readonly cellSeparator: string;
  /** Prefix of each line of a magic cell, e.g. `# MAGIC ` (an empty line is written without the trailing space). */
  readonly magicPrefix: string;
  /** Prefix of the optional first line of a cell carrying its title, e.g. `# DBTITLE `. */
  readonly titlePrefix: string;
  readonly extension: NotebookSourceExtension;
}

function syntaxWithComment(comment: string, extension: NotebookSourceExtension): LanguageSyntax {
  return {
    comment,
    header: `${comment} Databricks notebook source`,
    cellSeparator: `${comment} COMMAND ----------`,
    magicPrefix: `${comment} MAGIC `,
    titlePrefix: `${comment} DBTITLE `,
    extension,
  };
}

const SYNTAX: Readonly<Record<Language, LanguageSyntax>> = {
  PYTHON: syntaxWithComment('#', '.py'),
  SQL: syntaxWithComment('--', '.sql'),
  SCALA: syntaxWithComment('//', '.scala'),
  R: syntaxWithComment('#', '.r'),
};

export function languageSyntax(language: Language): LanguageSyntax {
  return SYNTAX[language];
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Language of a SOURCE notebook file extension, case-insensitive (`.R` is as common as `.r`).
 * Accepts the extension with or without its dot; anything else (including `.ipynb`) is undefined.
 */
export function languageFromExtension(extension: string): Language | undefined {
  const normalized = (extension.startsWith('.') ? extension : `.${extension}`).toLowerCase();
  return LANGUAGES.find((language) => SYNTAX[language].extension === normalized);
}

export function extensionForLanguage(language: Language): NotebookSourceExtension {
  return SYNTAX[language].extension;
}

/**
 * Language named the way Jupyter metadata names it (`python`, `python3`, `sql`, `scala`, `r`),
 * case-insensitive. Unknown names are undefined so callers pick their own fallback.
 */
export function languageFromJupyterName(name: string): Language | undefined {
  const normalized = name.trim().toLowerCase();
  if (normalized === 'python' || normalized === 'python3') return 'PYTHON';
  if (normalized === 'sql') return 'SQL';
  if (normalized === 'scala') return 'SCALA';
  if (normalized === 'r') return 'R';
  return undefined;
}

/** The lower-case name Jupyter metadata uses for a language. */
export function jupyterNameForLanguage(language: Language): string {
  return language.toLowerCase();
}
