/**
 * Notebook formats (Databricks SOURCE, Jupyter .ipynb) and notebook detection.
 * Pure functions over strings and bytes: no file or network access.
 */

import { parseJupyter, renderJupyter } from './jupyter.js';
import type { Language } from './language.js';
import { parseSource, renderSource } from './source-format.js';

export { NotebookFormatError } from './errors.js';
export {
  LANGUAGES,
  extensionForLanguage,
  isLanguage,
  jupyterNameForLanguage,
  languageFromExtension,
  languageFromJupyterName,
  languageSyntax,
  type Language,
  type LanguageSyntax,
  type NotebookSourceExtension,
} from './language.js';
export {
  codeCell,
  isJsonObject,
  magicCommandOf,
  markdownCell,
  rawCell,
  type Cell,
  type CellKind,
  type JsonObject,
  type JsonValue,
  type Notebook,
} from './model.js';
export { hasSourceHeader, parseSource, renderSource } from './source-format.js';
export {
  DATABRICKS_CELL_METADATA_KEY,
  DATABRICKS_NOTEBOOK_METADATA_KEY,
  parseJupyter,
  renderJupyter,
  splitSourceLines,
} from './jupyter.js';
export { detectNotebook, isProbablyBinary, remoteNotebookName, type Detection, type NotebookFormat } from './detect.js';

/** SOURCE text of a `language` notebook → .ipynb text. */
export function sourceToJupyter(text: string, language: Language): string {
  return renderJupyter(parseSource(text, language));
}

/**
 * .ipynb text → SOURCE text, with the language read from the notebook metadata
 * (`fallbackLanguage` when it names none). Outputs are dropped: SOURCE cannot hold them.
 */
export function jupyterToSource(
  text: string,
  fallbackLanguage: Language = 'PYTHON',
): { language: Language; text: string } {
  const notebook = parseJupyter(text, fallbackLanguage);
  return { language: notebook.language, text: renderSource(notebook) };
}
