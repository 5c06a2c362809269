/** Test helper: real temporary project directories. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** Create a temp dir holding `files` (relative path → content). */
export function makeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-project-'));
  created.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

/** Copy a fixture directory (under __fixtures__) into a fresh temp dir. */
export function copyFixture(name: string): string {
  const dir = makeProject({});
  fs.cpSync(path.join(import.meta.dirname, name), dir, { recursive: true });
  return dir;
}

export function cleanupProjects(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
