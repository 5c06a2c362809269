/**
 * `brickyard init`: project templates are plain files shipped in the package (`templates/<name>/`),
 * copied with a few tokens replaced. Existing files are never overwritten (they are reported as kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../core/package-root.js';
import { UserError } from '../core/errors.js';
import { DEFAULT_TEMPLATE } from './default-template.js';
const MANIFEST = 'template.json';

const TemplateManifestSchema = z.object({
  description: z.string(),
  /** files taken from another template: `{ "default": ["notebooks/train.ipynb"] }` */
  shared: z.record(z.string(), z.array(z.string())).optional(),
});

export interface TemplateInfo {
  name: string;
  description: string;
}

export interface TemplateValues {
  projectName: string;
  brickyardVersion: string;
}

export interface InitResult {
  dir: string;
  template: string;
  created: string[];
  /** already there: left as they were */
  kept: string[];
}

function templatesRoot(): string {
  return path.join(packageRoot(), 'templates');
}

function readManifest(name: string): z.infer<typeof TemplateManifestSchema> {
  const file = path.join(templatesRoot(), name, MANIFEST);
  return TemplateManifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export function listTemplates(): TemplateInfo[] {
  return fs
    .readdirSync(templatesRoot(), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(templatesRoot(), d.name, MANIFEST)))
    .map((d) => ({ name: d.name, description: readManifest(d.name).description }))
    .sort((a, b) => (a.name === DEFAULT_TEMPLATE ? -1 : b.name === DEFAULT_TEMPLATE ? 1 : a.name.localeCompare(b.name)));
}

/** A project name usable as bundle name and workspace path segment. */
export function checkProjectName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new UserError('BY_USAGE', `"${name}" cannot be a project name`, { hint: 'use letters, digits, ".", "_" or "-" (pass --name NAME)' });
  }
  return name;
}

export function snakeCase(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase() || 'project';
}

/** The template's files as project-relative path → package file, shared ones included. */
export function templateFiles(name: string): Map<string, string> {
  const known = listTemplates().map((t) => t.name);
  if (!known.includes(name)) throw new UserError('BY_USAGE', `unknown template "${name}"`, { hint: `one of: ${known.join(', ')}` });
  const files = new Map<string, string>();
  const add = (template: string, rel: string) => files.set(projectPath(rel), path.join(templatesRoot(), template, rel));
  for (const [template, rels] of Object.entries(readManifest(name).shared ?? {})) for (const rel of rels) add(template, rel);
  for (const rel of walk(path.join(templatesRoot(), name))) if (rel !== MANIFEST) add(name, rel);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** `dot-gitignore` → `.gitignore`, `dot-github/workflows` → `.github/workflows` (npm drops dot files). */
function projectPath(rel: string): string {
  return rel
    .split('/')
    .map((part) => (part.startsWith('dot-') ? `.${part.slice(4)}` : part))
    .join('/');
}

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) return d.name === '__pycache__' ? [] : walk(path.join(dir, d.name), rel);
    return d.isFile() ? [rel] : [];
  });
}

export function render(text: string, values: TemplateValues): string {
  return text
    .replaceAll('__PROJECT_NAME_SNAKE__', snakeCase(values.projectName))
    .replaceAll('__PROJECT_NAME__', values.projectName)
    .replaceAll('__BRICKYARD_VERSION__', values.brickyardVersion);
}

/** Writes the template into `dir` (created if needed); a file that exists is kept, never overwritten. */
export function initProject(dir: string, template: string, values: TemplateValues): InitResult {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UserError('BY_USAGE', `${dir} exists and is not a directory`);
  const files = templateFiles(template);
  const result: InitResult = { dir, template, created: [], kept: [] };
  for (const [rel, source] of files) {
    const target = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    try {
      // 'wx': refuses to replace a file that appeared since we looked
      fs.writeFileSync(target, render(fs.readFileSync(source, 'utf8'), values), { flag: 'wx' });
      result.created.push(rel);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      result.kept.push(rel);
    }
  }
  return result;
}
