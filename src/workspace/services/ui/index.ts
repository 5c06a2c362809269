import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { packageRoot } from '../../../core/package-root.js';
import type { ServiceModule } from '../../service.js';

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves the React UI built into web/dist. The page itself is public (it holds no data); every
 * API call it makes carries the user's token like any other client.
 */
export const uiService: ServiceModule = {
  name: 'ui',
  routes(router) {
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
        const file = normalize(join(dist, 'assets', name));
        if (!file.startsWith(join(dist, 'assets')) || !existsSync(file)) {
          return c.json({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No UI asset named ${name}` }, 404);
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
