import { dbfsService } from '../../src/workspace/services/dbfs/index.js';
import { clustersService } from '../../src/workspace/services/clusters/index.js';
import { jobsService } from '../../src/workspace/services/jobs/index.js';
import type { EngineOptions } from '../../src/workspace/services/runs/engine.js';
import { createRunsService } from '../../src/workspace/services/runs/index.js';
import { secretsService } from '../../src/workspace/services/secrets/index.js';
import { workspaceService } from '../../src/workspace/services/workspace/index.js';

/** The services the runs tests need: workspace, clusters, jobs, runs, secrets and DBFS (dbutils.fs) (no vitest import: fixtures use it too). */
export function runsServices(engine: EngineOptions = {}) {
  return [workspaceService, clustersService, jobsService, createRunsService({ killGraceMs: 1000, ...engine }), secretsService, dbfsService];
}
