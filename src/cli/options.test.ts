import { describe, expect, expectTypeOf, it } from 'vitest';
import { UserError } from '../core/errors.js';
import { defineCommand } from './command.js';
import { defineOptions, describeNumber, parseCommandLine, renderOptionLines, type OptionValues } from './options.js';

const decls = defineOptions({
  port: { type: 'number', integer: true, min: 0, max: 65535, default: 8787, env: 'TEST_PORT', description: 'port to listen on' },
  ratio: { type: 'number', description: 'any number' },
  name: { type: 'string', short: 'n', valueName: 'NAME', env: 'TEST_NAME', description: 'a name' },
  dir: { type: 'string', default: '.state', description: 'a directory' },
  force: { type: 'boolean', short: 'f', description: 'do it anyway' },
  tag: { type: 'string[]', valueName: 'K=V', description: 'a tag' },
});

const parse = (args: string[], env: NodeJS.ProcessEnv = {}) => parseCommandLine(args, decls, env, 'see --help');

function usageError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('parseCommandLine', () => {
  it('gives each option the value of its declared type, with defaults for what is not given', () => {
    expect(parse([]).options).toEqual({ port: 8787, ratio: undefined, name: undefined, dir: '.state', force: false, tag: [] });
    const all = parse(['--port', '9000', '--ratio=0.25', '-n', 'ada', '--dir', 'x', '-f', '--tag', 'a=1', '--tag', 'b=2', 'rest']);
    expect(all.options).toEqual({ port: 9000, ratio: 0.25, name: 'ada', dir: 'x', force: true, tag: ['a=1', 'b=2'] });
    expect(all.positionals).toEqual(['rest']);
  });

  it('falls back to the environment variable, then the default; the flag wins over both', () => {
    expect(parse([], { TEST_PORT: '1234', TEST_NAME: 'from-env' }).options).toMatchObject({ port: 1234, name: 'from-env' });
    expect(parse(['--port', '80', '--name', 'flag'], { TEST_PORT: '1234', TEST_NAME: 'from-env' }).options).toMatchObject({ port: 80, name: 'flag' });
    // an empty variable is unset
    expect(parse([], { TEST_PORT: '', TEST_NAME: '' }).options).toMatchObject({ port: 8787, name: undefined });
  });

  it('refuses a bad number with exit 2, naming the flag, its variable and the value', () => {
    for (const bad of ['abc', '80.5', '-1', '65536', '0x10', '']) {
      const err = usageError(() => parse([`--port=${bad}`]));
      expect(err.code).toBe('BY_USAGE');
      expect(err.exitCode).toBe(2);
      expect(err.message).toBe(`--port (or TEST_PORT) must be a whole number from 0 to 65535, got "${bad}"`);
      expect(err.hint).toBe('--port: port to listen on (default 8787)');
    }
    expect(usageError(() => parse([], { TEST_PORT: 'lots' })).message).toBe('--port (or TEST_PORT) must be a whole number from 0 to 65535, got "lots"');
    expect(usageError(() => parse(['--ratio', 'half'])).message).toBe('--ratio must be a number, got "half"');
    expect(parse(['--port', ' 42 ']).options.port).toBe(42);
  });

  it('refuses unknown flags and missing values as usage errors with the help hint', () => {
    const unknown = usageError(() => parse(['--nope']));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toContain("Unknown option '--nope'");
    expect(unknown.hint).toBe('see --help');
    expect(usageError(() => parse(['--name'])).message).toContain("Option '-n, --name <value>' argument missing");
  });
});

describe('describeNumber', () => {
  it('says what range is accepted', () => {
    expect(describeNumber({ type: 'number', description: '', integer: true, min: 1 })).toBe('a whole number of at least 1');
    expect(describeNumber({ type: 'number', description: '', max: 2 })).toBe('a number of at most 2');
  });
});

describe('renderOptionLines', () => {
  it('shows each flag with its value name, description, default, environment variable and repeatability', () => {
    expect(renderOptionLines(decls)).toEqual([
      '      --port <N>     port to listen on [default: 8787] [env: TEST_PORT] [a whole number from 0 to 65535]',
      '      --ratio <N>    any number',
      '  -n, --name <NAME>  a name [env: TEST_NAME]',
      '      --dir <VALUE>  a directory [default: .state]',
      '  -f, --force        do it anyway',
      '      --tag <K=V>    a tag [repeatable]',
    ]);
  });
});

describe('typed declarations', () => {
  it('infer the type of every option and positional in run', () => {
    expectTypeOf<OptionValues<typeof decls>>().toEqualTypeOf<{
      readonly port: number;
      readonly ratio: number | undefined;
      readonly name: string | undefined;
      readonly dir: string;
      readonly force: boolean;
      readonly tag: string[];
    }>();
    const command = defineCommand({
      path: ['probe'],
      summary: 'checks inference',
      options: { ...decls, extra: { type: 'string', default: 'x', description: 'inline' } },
      positionals: [{ name: 'job', description: 'a job' }],
      run({ options, positionals }) {
        expectTypeOf(options.extra).toEqualTypeOf<string>();
        expectTypeOf(options.port).toEqualTypeOf<number>();
        expectTypeOf(positionals.job).toEqualTypeOf<string>();
        return Promise.resolve(0);
      },
    });
    expect(command.path).toEqual(['probe']);
  });

  it('refuse a command that redeclares a global option', () => {
    expect(() => defineCommand({ path: ['bad'], summary: 's', options: { json: { type: 'boolean', description: 'd' } }, run: () => Promise.resolve(0) })).toThrow(
      'command bad redeclares the global option --json',
    );
  });
});
