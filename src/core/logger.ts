import { errorMessage, QUERY_PARAMS_MARKER } from './errors.js';
import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Longest string kept whole in a log line (the message and each field); the rest is counted. */
export const MAX_LOG_STRING = 2048;
/** Nesting and list length kept of a structured field: a log line stays a line. */
const MAX_LOG_DEPTH = 4;
const MAX_LOG_ITEMS = 20;

/**
 * A string cut to MAX_LOG_STRING with a marker telling how much was left out. Redacted before it is
 * cut, so a secret split by the cut cannot slip past the patterns.
 */
export function boundLogString(text: string): string {
  // a failed query's parameters are request data: never logged, whoever passed the message on
  const marker = text.startsWith('Failed query: ') ? text.indexOf(QUERY_PARAMS_MARKER) : -1;
  const clean = redact(marker < 0 ? text : `${text.slice(0, marker)}${QUERY_PARAMS_MARKER}[not logged]`);
  if (clean.length <= MAX_LOG_STRING) return clean;
  const head = clean.slice(0, MAX_LOG_STRING);
  return `${head}…(${Buffer.byteLength(clean) - Buffer.byteLength(head)} more bytes)`;
}

/** A field value bounded in every dimension: strings, list lengths, nesting. */
function boundValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return boundLogString(value);
  if (value instanceof Error) return boundLogString(errorMessage(value));
  if (value === null || typeof value !== 'object') return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return boundValue(toJSON.call(value), depth);
  if (depth >= MAX_LOG_DEPTH) return '[…]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_LOG_ITEMS).map((v) => boundValue(v, depth + 1));
    return value.length > MAX_LOG_ITEMS ? [...items, `…(${value.length - MAX_LOG_ITEMS} more items)`] : items;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries.slice(0, MAX_LOG_ITEMS)) out[boundLogString(k)] = boundValue(v, depth + 1);
  if (entries.length > MAX_LOG_ITEMS) out['…'] = `${entries.length - MAX_LOG_ITEMS} more fields`;
  return out;
}

/**
 * A line-per-event logger; every line is redacted before it is written, and bounded: each string
 * is cut at MAX_LOG_STRING, so no request can make the server write megabytes of log.
 */
export function createLogger(opts: { level?: LogLevel; write?: (line: string) => void; bindings?: Record<string, unknown> } = {}): Logger {
  const level = opts.level ?? 'info';
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const bindings = opts.bindings ?? {};
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[level]) return;
    const extra = boundValue({ ...bindings, ...fields }, 0) as Record<string, unknown>;
    const tail = Object.keys(extra).length ? ' ' + JSON.stringify(extra) : '';
    write(redact(`${new Date().toISOString()} ${lvl.toUpperCase()} ${boundLogString(msg)}${tail}`));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (b) => createLogger({ level, write, bindings: { ...bindings, ...b } }),
  };
}

export const silentLogger: Logger = createLogger({ level: 'silent' });
