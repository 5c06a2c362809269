import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { UserError } from './errors.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Path of the Databricks config file, honouring DATABRICKS_CONFIG_FILE like every Databricks tool. */
export function databricksCfgPath(env: NodeJS.ProcessEnv): string {
  return env.DATABRICKS_CONFIG_FILE ?? join(env.HOME ?? homedir(), '.databrickscfg');
}

/** The `[section]` names of the config file; undefined when the file does not exist. */
export function listProfiles(env: NodeJS.ProcessEnv): string[] | undefined {
  const file = databricksCfgPath(env);
  if (!existsSync(file)) return undefined;
  const names: string[] = [];
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) names.push(header[1]!.trim());
  }
  return names;
}

/** Refuses a name that cannot be a `[section]` of the file; callers check before doing any work. */
export function checkProfileName(name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new UserError('BY_USAGE', `invalid profile name "${name}" for --write-profile`, { hint: "use letters, digits, '.', '_' or '-'" });
  }
}

/**
 * Adds or replaces one `[name]` profile, leaving every other line of the file as it was.
 * The file is left with mode 0600 since it holds a token (an existing file is tightened too).
 */
export function writeProfile(env: NodeJS.ProcessEnv, name: string, values: Record<string, string>): string {
  checkProfileName(name);
  const file = databricksCfgPath(env);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split(/\r?\n/) : [];
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) skipping = header[1]!.trim() === name;
    if (!skipping) out.push(line);
  }
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  if (out.length) out.push('');
  out.push(`[${name}]`, ...Object.entries(values).map(([k, v]) => `${k} = ${v}`), '');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, out.join('\n'), { mode: 0o600 });
  // `mode` applies only when the file is created
  chmodSync(file, 0o600);
  return file;
}
