/**
 * Standalone JSON job configs (the seed's `config/databricks_job_config.json`) name notebooks by
 * absolute workspace paths, e.g. `/ml-regression-model-dev/notebooks/train.ipynb`, for a repository
 * holding `notebooks/train.ipynb` that CI syncs to `/ml-regression-model-dev`. Matching the path's
 * tail against the local files recovers that mapping, so deploy syncs the files where the jobs look.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface WorkspacePathMatch {
  /** absolute local file */
  localPath: string;
  /** the workspace directory the project root maps to, e.g. `/ml-regression-model-dev` */
  workspaceRoot: string;
}

const NOTEBOOK_EXTENSIONS = ['.ipynb', '.py', '.sql', '.scala', '.r'];

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Never mapped to the project root: the sync would mirror the project into a directory everyone shares. */
const TOO_BROAD = new Set(['/Workspace', '/Users', '/Workspace/Users', '/Shared', '/Workspace/Shared', '/Repos', '/Workspace/Repos']);
function tooBroad(root: string): boolean {
  return TOO_BROAD.has(root);
}

/**
 * The longest tail of `remotePath` that is a file under `projectRoot` (a notebook may omit its
 * extension), with the workspace directory the rest of the path names. Undefined when none is.
 */
export function matchWorkspacePath(projectRoot: string, remotePath: string, kind: 'notebook' | 'file'): WorkspacePathMatch | undefined {
  if (!remotePath.startsWith('/') || remotePath.includes('${')) return undefined;
  const segments = remotePath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return undefined;
  for (let i = 1; i < segments.length; i++) {
    const workspaceRoot = `/${segments.slice(0, i).join('/')}`;
    if (tooBroad(workspaceRoot)) continue;
    const local = path.join(projectRoot, ...segments.slice(i));
    const candidates = kind === 'notebook' && path.extname(local) === '' ? [local, ...NOTEBOOK_EXTENSIONS.map((e) => local + e)] : [local];
    const hit = candidates.find(isFile);
    if (hit !== undefined) return { localPath: hit, workspaceRoot };
  }
  return undefined;
}
