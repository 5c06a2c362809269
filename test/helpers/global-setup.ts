import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { REPO_ROOT } from './reference.js';

/**
 * PGlite's initdb costs seconds; tests start from one dump made here instead (about 1 s each).
 * The dump is an empty cluster, so it never goes stale as migrations change.
 */
export default async function setup(): Promise<void> {
  const dir = join(REPO_ROOT, '.tmp');
  const file = join(dir, 'pglite-template.tar');
  if (existsSync(file)) return;
  mkdirSync(dir, { recursive: true });
  const pg = new PGlite();
  await pg.waitReady;
  const dump = await pg.dumpDataDir('none');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await pg.close();
}
