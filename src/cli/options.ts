/**
 * Typed command-line options: each option is declared once (type, description, default,
 * environment variable), and that declaration gives the parsed value's TypeScript type, the
 * parsing and validation, the environment fallback and the `--help` line.
 */
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';

interface OptionBase {
  /** One line for `--help`: what the option does. */
  description: string;
  /** single-letter alias, e.g. 'p' for -p */
  short?: string;
  /** placeholder for the value in `--help`, e.g. NAME */
  valueName?: string;
}

export interface StringOptionDecl extends OptionBase {
  type: 'string';
  default?: string;
  /** read when the flag is not given (an empty variable counts as unset) */
  env?: string;
  /** the default as `--help` shows it, when it is not a fixed value (the command applies it) */
  defaultText?: string;
}

export interface NumberOptionDecl extends OptionBase {
  type: 'number';
  default?: number;
  env?: string;
  defaultText?: string;
  /** whole numbers only */
  integer?: boolean;
  min?: number;
  max?: number;
}

/** A flag: true when given, false otherwise. */
export interface BooleanOptionDecl extends OptionBase {
  type: 'boolean';
}

/** Repeatable: every occurrence, in order; [] when absent. */
export interface ListOptionDecl extends OptionBase {
  type: 'string[]';
}

export type OptionDecl = StringOptionDecl | NumberOptionDecl | BooleanOptionDecl | ListOptionDecl;
export type OptionDecls = Readonly<Record<string, OptionDecl>>;

type ValueOf<D extends OptionDecl> = D extends { type: 'string' }
  ? string
  : D extends { type: 'number' }
    ? number
    : D extends { type: 'boolean' }
      ? boolean
      : string[];

/** Flags and lists always have a value; strings and numbers only with a default. */
type AlwaysSet<D extends OptionDecl> = D extends { type: 'boolean' | 'string[]' } ? true : D extends { default: string | number } ? true : false;

/** What a command's `run` receives for its declared options. */
export type OptionValues<Ds extends OptionDecls> = {
  readonly [K in keyof Ds]: AlwaysSet<Ds[K]> extends true ? ValueOf<Ds[K]> : ValueOf<Ds[K]> | undefined;
};

export type OptionValue = string | number | boolean | string[] | undefined;
export type ParsedOptions = Readonly<Record<string, OptionValue>>;

/** Keeps the literal types of a shared set of declarations (so `type: 'string'` stays 'string'). */
export function defineOptions<const Ds extends OptionDecls>(decls: Ds): Ds {
  return decls;
}

export interface ParsedCommandLine {
  options: ParsedOptions;
  positionals: string[];
}

/**
 * Parses `args` against the declarations: unknown flags, missing values and bad numbers are usage
 * errors (exit 2) naming the flag; a string or number option not given falls back to its
 * environment variable, then to its default.
 */
export function parseCommandLine(args: readonly string[], decls: OptionDecls, env: NodeJS.ProcessEnv, helpHint: string): ParsedCommandLine {
  let raw;
  try {
    raw = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(decls).map(([name, d]) => [
          name,
          { type: d.type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: d.type === 'string[]', ...(d.short !== undefined ? { short: d.short } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UserError('BY_USAGE', (err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), { hint: helpHint });
  }
  const options: Record<string, OptionValue> = {};
  for (const [name, decl] of Object.entries(decls)) {
    options[name] = resolveValue(name, decl, raw.values[name], env);
  }
  return { options, positionals: raw.positionals };
}

function resolveValue(name: string, decl: OptionDecl, given: string | boolean | (string | boolean)[] | undefined, env: NodeJS.ProcessEnv): OptionValue {
  switch (decl.type) {
    case 'boolean':
      return given === true;
    case 'string[]':
      return Array.isArray(given) ? given.filter((v): v is string => typeof v === 'string') : [];
    case 'string':
    case 'number': {
      const fromEnv = decl.env !== undefined && given === undefined ? nonEmpty(env[decl.env]) : undefined;
      const text = typeof given === 'string' ? given : fromEnv;
      if (text === undefined) return decl.default;
      if (decl.type === 'string') return text;
      const source = decl.env !== undefined ? `--${name} (or ${decl.env})` : `--${name}`;
      const shownDefault = decl.defaultText ?? decl.default;
      return parseNumber(text, decl, source, `--${name}: ${decl.description}${shownDefault !== undefined ? ` (default ${shownDefault})` : ''}`);
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function parseNumber(text: string, decl: NumberOptionDecl, source: string, hint: string): number {
  const trimmed = text.trim();
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed) ? Number(trimmed) : NaN;
  const ok = Number.isFinite(n) && (!decl.integer || Number.isInteger(n)) && (decl.min === undefined || n >= decl.min) && (decl.max === undefined || n <= decl.max);
  if (!ok) throw new UserError('BY_USAGE', `${source} must be ${describeNumber(decl)}, got "${text}"`, { hint });
  return n;
}

/** "a whole number from 1 to 64", "a number of at least 0", … */
export function describeNumber(decl: NumberOptionDecl): string {
  const kind = decl.integer ? 'a whole number' : 'a number';
  if (decl.min !== undefined && decl.max !== undefined) return `${kind} from ${decl.min} to ${decl.max}`;
  if (decl.min !== undefined) return `${kind} of at least ${decl.min}`;
  if (decl.max !== undefined) return `${kind} of at most ${decl.max}`;
  return kind;
}

/** `--help` lines: flag column, then description with default, environment variable and repeatability. */
export function renderOptionLines(decls: OptionDecls, width = flagColumnWidth(decls)): string[] {
  const rows = Object.entries(decls).map(([name, d]) => [flagColumn(name, d), describeColumn(d)] as const);
  return rows.map(([flag, text]) => (flag.length > width ? `  ${flag}\n  ${' '.repeat(width)}  ${text}` : `  ${flag.padEnd(width)}  ${text}`));
}

/** Width of the flag column, so that several option lists can line up. */
export function flagColumnWidth(decls: OptionDecls): number {
  return Math.min(32, Math.max(0, ...Object.entries(decls).map(([name, d]) => flagColumn(name, d).length)));
}

function flagColumn(name: string, d: OptionDecl): string {
  const alias = d.short !== undefined ? `-${d.short}, ` : '    ';
  const value = d.type === 'boolean' ? '' : ` <${d.valueName ?? (d.type === 'number' ? 'N' : 'VALUE')}>`;
  return `${alias}--${name}${value}`;
}

function describeColumn(d: OptionDecl): string {
  const notes: string[] = [];
  if (d.type === 'string' || d.type === 'number') {
    const shown = d.defaultText ?? (d.default !== undefined ? String(d.default) : undefined);
    if (shown !== undefined) notes.push(`[default: ${shown}]`);
    if (d.env !== undefined) notes.push(`[env: ${d.env}]`);
  }
  if (d.type === 'number' && (d.min !== undefined || d.max !== undefined)) notes.push(`[${describeNumber(d)}]`);
  if (d.type === 'string[]') notes.push('[repeatable]');
  return [d.description, ...notes].join(' ');
}
