// Build step: an initialised, empty PGlite cluster, so a fresh `brickyard up` skips initdb (seconds).
import { mkdirSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const out = new URL('../dist/pglite-template.tgz', import.meta.url);
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
const pg = new PGlite();
await pg.waitReady;
const dump = await pg.dumpDataDir('gzip');
writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
await pg.close();
console.log(`wrote ${out.pathname} (${dump.size} bytes)`);
