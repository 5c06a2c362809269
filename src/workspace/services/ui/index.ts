import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../core/package-root.js';
import type { NotebookIsolation } from '../../../api/notebook-isolation.js';
import { notebookIsolation } from '../../runner/isolation.js';
import type { ServiceModule } from '../../service.js';

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * Serves the React UI built into web/dist. The page itself is public (it holds no data); every
 * API call it makes carries the user's token like any other client, including the one for the
 * notebook isolation status the UI shows.
 */
export const uiService: ServiceModule = {
  name: 'ui',
  routes(router, ctx) {
    // every signed-in user: the UI warns everyone whose notebooks would run unisolated
    router.get('/api/2.0/brickyard/notebook-isolation', (): NotebookIsolation => notebookIsolation(ctx.config));
    const dist = join(packageRoot(), 'web', 'dist');
    router.get(
      '/',
      (c) => {
        const index = join(dist, 'index.html');
        if (!existsSync(index)) {
          return c.html('<h1>Brickyard</h1><p>The web UI is not built. Run <code>npm run build</code> in the brickyard package.</p>', 503);
        }
        return c.html(readFileSync(index, 'utf8'));
      },
      { public: true },
    );
    router.get(
      '/assets/:file',
      (c) => {
        const name = c.req.param('file') ?? '';
        const file = join(dist, 'assets', name);
        // assets are plain file names (Vite's hashed output): nothing that could leave the folder
        if (!ASSET_NAME.test(name) || !isFile(file)) {
          return c.json({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No UI asset named ${JSON.stringify(name)}` }, 404);
        }
        const ext = name.slice(name.lastIndexOf('.'));
        return c.body(readFileSync(file), 200, {
          'content-type': contentTypes[ext] ?? 'application/octet-stream',
          'cache-control': 'public, max-age=31536000, immutable',
        });
      },
      { public: true },
    );
  },
};
