import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The `python/brickyard_runner` directory of this package. Found by walking up from this module
 * to the directory holding package.json, so it works from src/ (tsx, vitest) and from dist/.
 */
export function runnerPackageDir(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const candidate = join(dir, 'python', 'brickyard_runner');
      if (existsSync(join(candidate, '__main__.py'))) {
        cached = candidate;
        return candidate;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find python/brickyard_runner next to the brickyard package.json');
    dir = parent;
  }
}
