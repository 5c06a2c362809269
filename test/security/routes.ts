import type { Logger } from '../../src/core/logger.js';

/** A concrete URL path for a route pattern: `:id` → a dummy id, `*` → a dummy segment. */
export function concretePath(pattern: string): string {
  return pattern
    .replace(/:(\w+)(\{([^}]*)\})?\??/g, (_m, _name: string, _braces: string | undefined, regex: string | undefined) => {
      if (!regex) return '123';
      const re = new RegExp(`^(?:${regex})$`);
      return ['123', 'dummy', 'Volumes/main/default/vol/file.txt'].find((v) => re.test(v)) ?? '123';
    })
    .replace(/\*/g, 'dummy');
}

/** A logger that keeps exactly what the server hands it, before any redaction. */
export function capturingLogger(lines: string[], bindings: Record<string, unknown> = {}): Logger {
  const record = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${msg} ${JSON.stringify({ ...bindings, ...fields })}`);
  };
  return {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    child: (more) => capturingLogger(lines, { ...bindings, ...more }),
  };
}
