/**
 * Secrets never reach logs or output: every line we print or log passes through `redact`.
 * Registered values (tokens minted at runtime) are replaced, and so is anything shaped
 * like a Databricks PAT or a bearer header.
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

export function redact(text: string): string {
  let out = text;
  for (const secret of registered) out = out.split(secret).join('[REDACTED]');
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}
