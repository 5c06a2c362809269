import { z } from 'zod';

/**
 * GET /api/2.0/brickyard/notebook-isolation (a local-workspace endpoint, no Databricks
 * counterpart): how notebook and Python task code is sandboxed here. The UI shows a warning when
 * it is not fully isolated; `brickyard up` prints the same at start.
 */
export const NotebookIsolationResponse = z.object({
  /** The state directory and the server user's home are hidden from notebook code. */
  isolated: z.boolean(),
  sandbox: z.enum(['bubblewrap', 'none']),
  /** Notebook code has its own network namespace and reaches only this workspace's API. */
  private_network: z.boolean(),
  /** What notebook code can still reach and why, one sentence each; empty when fully isolated. */
  warnings: z.array(z.string()),
});
export type NotebookIsolation = z.infer<typeof NotebookIsolationResponse>;
