#!/usr/bin/env node
// The registry mirror these machines use only holds the platform packages that were
// requested from it, so `npm install` drops other platforms' optional native bindings
// (rollup, duckdb) from package-lock.json, and `npm ci` then refuses the lock as out of sync.
// This re-adds each missing optional platform package by name and version, with the
// os/cpu/libc read off its name, so npm skips it on other platforms instead of fetching it.
// Run it after any `npm install` that changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32'];
const CPU = { arm: 'arm', 'arm-eabi': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };

function platformOf(name) {
  const leaf = name.split('/').pop();
  const parts = leaf.split('-');
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return undefined;
  const os = parts[osIndex];
  const rest = parts.slice(osIndex + 1);
  const cpuToken = CPU[rest.slice(0, 2).join('-')] ? rest.slice(0, 2).join('-') : rest[0];
  const cpu = cpuToken === undefined ? undefined : CPU[cpuToken];
  if (cpu === undefined) return undefined;
  const libc = os !== 'linux' ? undefined : rest.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc';
  return { os, cpu, libc };
}

let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = key === '' ? `node_modules/${dep}` : `${key}/node_modules/${dep}`;
    if (packages[nested] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d/.test(version)) continue;
    const stub = { version, cpu: [platform.cpu], ...(entry.dev ? { dev: true } : {}), ...(platform.libc ? { libc: [platform.libc] } : {}), optional: true, os: [platform.os] };
    packages[`node_modules/${dep}`] = stub;
    added += 1;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lock: added ${added} optional platform package(s)`);
