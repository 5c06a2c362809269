import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defineCommand, globalOptions, type CliIO } from './command.js';
import { allCommands } from './commands/index.js';
import { upCommand } from './commands/up.js';
import { main } from './main.js';
import type { OptionDecls } from './options.js';

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {}, cwd: tmpdir(), isTTY: false, interrupted: new Promise(() => undefined) };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The help line of one flag: `-p, --profile <NAME>  description …` */
function flagLine(help: string, name: string): string | undefined {
  return help.split('\n').find((l) => new RegExp(`^  (-\\w, |    )--${name}( <[^>]+>)?  `).test(l));
}

describe('brickyard <command> --help', () => {
  it.each(allCommands().map((c) => [c.path.join(' '), c] as const))('%s describes every option with its default and environment variable', async (_name, command) => {
    const { code, stdout } = await cli([...command.path, '--help']);
    expect(code).toBe(0);
    expect(stdout.startsWith(`brickyard ${command.path.join(' ')} — ${command.summary}\n`)).toBe(true);
    const declared: OptionDecls = { ...command.options, ...globalOptions };
    for (const [name, decl] of Object.entries(declared)) {
      expect(decl.description.trim(), `--${name} of ${command.path.join(' ')}`).not.toBe('');
      const line = flagLine(stdout, name);
      expect(line, `--${name} in:\n${stdout}`).toBeDefined();
      expect(line).toContain(decl.description);
      if (decl.short !== undefined) expect(line).toContain(`-${decl.short}, --${name}`);
      if (decl.type === 'string' || decl.type === 'number') {
        const shown = decl.defaultText ?? decl.default;
        if (shown !== undefined) expect(line).toContain(`[default: ${shown}]`);
        if (decl.env !== undefined) expect(line).toContain(`[env: ${decl.env}]`);
      }
      if (decl.type === 'string[]') expect(line).toContain('[repeatable]');
    }
    for (const p of command.positionals ?? []) expect(stdout).toContain(`  ${p.name.toUpperCase()}  ${p.description}`);
  });

  it('is also `brickyard help <command>`, and -h', async () => {
    const viaFlag = await cli(['deploy', '--help']);
    expect(await cli(['help', 'deploy'])).toEqual(viaFlag);
    expect(await cli(['deploy', '-h'])).toEqual(viaFlag);
  });

  it('documents the defaults and variables of up', async () => {
    const { stdout } = await cli(['up', '--help']);
    expect(flagLine(stdout, 'port')).toBe('      --port <N>                 port to listen on; 0 picks a free one [default: 8787] [env: BRICKYARD_PORT] [a whole number from 0 to 65535]');
    expect(flagLine(stdout, 'smtp-from')).toBe('      --smtp-from <ADDRESS>      sender of notification mails (needs --smtp-url) [default: brickyard@localhost] [env: BRICKYARD_SMTP_FROM]');
  });
});

describe("the README's table of up flags", () => {
  it('has a row for every flag of up, with its default and environment variable', () => {
    const readme = readFileSync('README.md', 'utf8').split('\n');
    const declared: OptionDecls = upCommand.options;
    for (const [name, decl] of Object.entries(declared)) {
      const row = readme.find((l) => l.startsWith(`| \`--${name}`));
      expect(row, `--${name}`).toBeDefined();
      if (decl.type === 'string' || decl.type === 'number') {
        const shown = decl.defaultText ?? decl.default;
        if (shown !== undefined) expect(row).toContain(`\`${shown}\``);
        if (decl.env !== undefined) expect(row).toContain(`(\`${decl.env}\`)`);
      }
    }
  });
});

describe('brickyard --help', () => {
  it('lists every command with its summary, and the global options', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const c of allCommands()) expect(stdout).toMatch(new RegExp(`^  ${c.path.join(' ')}( \\[?[A-Z]+\\]?)* +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(stdout).toContain('Global options:\n      --json     print one JSON object on stdout instead of text (errors included)\n  -h, --help     show this help and exit\n  -v, --version  print the version and exit\n');
    expect(await cli([])).toEqual({ code: 0, stdout, stderr: '' });
  });

  it('answers an unknown command on stderr with exit 2', async () => {
    const { code, stdout, stderr } = await cli(['deplyo']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.startsWith('unknown command: deplyo\n\nbrickyard ')).toBe(true);
  });
});

describe('arguments', () => {
  it('requires the declared positional and refuses extra ones, with exit 2', async () => {
    const missing = await cli(['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error BY_USAGE: missing JOB: a resource key of the project, a job name or a numeric job id\n  hint: run `brickyard run --help` for usage\n');
    const extra = await cli(['pull', 'a', 'b', '--json']);
    expect(extra.code).toBe(2);
    expect(JSON.parse(extra.stdout)).toEqual({ ok: false, error: { code: 'BY_USAGE', message: 'unexpected argument: b', hint: 'run `brickyard pull --help` for usage' } });
    expect((await cli(['validate', 'x'])).stderr).toContain('error BY_USAGE: unexpected argument: x');
  });

  it('refuses a bad number before the command starts', async () => {
    const r = await cli(['sync', '--concurrency', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error BY_USAGE: --concurrency must be a whole number from 1 to 64, got "0"\n  hint: --concurrency: uploads and deletes in flight at once (default 8)\n');
  });
});

describe('beforeShortCommand', () => {
  it('is called before a command that ends by itself, never before one that serves until stopped, nor for --help', async () => {
    const calls: string[] = [];
    const command = (name: string, servesUntilStopped: boolean) =>
      defineCommand({ path: [name], summary: name, options: {}, ...(servesUntilStopped ? { servesUntilStopped } : {}), run: async () => (calls.push(`run ${name}`), 0) });
    const commands = [command('short', false), command('serve', true)];
    const io: CliIO = { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: tmpdir(), isTTY: false, interrupted: new Promise(() => undefined), beforeShortCommand: () => calls.push('before') };
    expect(await main(['short'], io, commands)).toBe(0);
    expect(await main(['serve'], io, commands)).toBe(0);
    expect(await main(['short', '--help'], io, commands)).toBe(0);
    expect(calls).toEqual(['before', 'run short', 'run serve']);
    // the real long-running ones say so
    expect(allCommands().filter((c) => c.servesUntilStopped === true).map((c) => c.path.join(' '))).toEqual(['up', 'worker']);
  });
});
