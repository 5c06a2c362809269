/**
 * The `--json` line of the long-running commands: `brickyard up` and `brickyard worker` print one
 * object on stdout once they serve, then keep running. Apart from cli-project-output.ts because
 * these reach into the local workspace's modules.
 */
import { z } from 'zod';
import { NOTEBOOK_NETWORKS } from '../workspace/context.js';
import { DATABASE_KINDS } from '../workspace/db/database.js';
import { NotebookIsolationResponse } from './notebook-isolation.js';

/** `brickyard up --json`: `admin_token` only on the first start (then use a profile), `profile` with --write-profile */
export const UpOutput = z.strictObject({
  host: z.string(),
  ui: z.string(),
  state_dir: z.string(),
  database: z.enum(DATABASE_KINDS),
  admin_user: z.string(),
  admin_token: z.string().optional(),
  profile: z.string().optional(),
  task_concurrency: z.number().int(),
  /** `smtp://host:port, from …` when mail is configured */
  smtp: z.string().optional(),
  notebook_isolation: NotebookIsolationResponse.shape.sandbox,
  notebook_network: z.enum(NOTEBOOK_NETWORKS),
  python: z.strictObject({ requested: z.string(), executable: z.string().optional(), version: z.string().optional(), libraries: z.record(z.string(), z.boolean()), error: z.string().optional() }),
});
export type UpOutput = z.infer<typeof UpOutput>;

/** `brickyard worker --json` */
export const WorkerOutput = z.strictObject({ worker: z.string(), target: z.string(), source: z.string() });
export type WorkerOutput = z.infer<typeof WorkerOutput>;
