/**
 * Raised when notebook text cannot be read in the requested format. Callers map it to their own
 * error family (the workspace server answers INVALID_PARAMETER_VALUE, the CLI reports a UserError).
 */
export class NotebookFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotebookFormatError';
  }
}
