/**
 * Secrets never reach logs or output: every line we print or log passes through `redact`.
 * Registered values (long-lived secrets known to the process: configured credentials, secret
 * scope values, personal access tokens) are replaced, and so is anything shaped like a Databricks
 * PAT or a bearer header. Short-lived values that belong to one piece of work (a run attempt's
 * token) are not registered here, where they would pile up for the life of the process: the work
 * holds them in a `SecretScope`, applies it to its own output and drops it when it ends.
 */
const registered = new Set<string>();

export function registerSecret(value: string): void {
  if (value.length >= 8) registered.add(value);
}

/** [pattern, replacement]; `$1` keeps the label in front of the secret. */
const patterns: Array<[RegExp, string]> = [
  [/\bdapi[0-9a-f]{16,}(?:-\d+)?\b/gi, '[REDACTED]'],
  [/\bdkea[0-9a-f]{16,}\b/gi, '[REDACTED]'],
  [/(Bearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,}/gi, '$1[REDACTED]'],
  [/("?(?:token|password|client_secret)"?\s*[:=]\s*"?)(?!\[REDACTED\])[^"\s,}]{4,}/gi, '$1[REDACTED]'],
];

function replaceValues(text: string, values: Iterable<string>): string {
  let out = text;
  for (const secret of values) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  return out;
}

export function redact(text: string, scope?: SecretScope): string {
  let out = replaceValues(text, registered);
  if (scope) out = scope.redactValues(out);
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}

/** Secrets of one piece of work, redacted from its output only, forgotten when it ends. */
export class SecretScope {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value.length >= 8) this.values.add(value);
  }

  /** Only the scope's own values, exactly (for results, where pattern rewriting would change data). */
  redactValues(text: string): string {
    return replaceValues(text, this.values);
  }

  /** The scope's values plus everything `redact` does. */
  redact(text: string): string {
    return redact(text, this);
  }

  get size(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
  }
}

/** How many process-wide secrets are registered (diagnostics and tests: run tokens must not add to it). */
export function registeredSecretCount(): number {
  return registered.size;
}
