import type { Logger } from '../core/logger.js';
import type { Database } from './db/database.js';
import { WorkspaceQueue } from './queue/boss.js';
import { createTableRetention } from './services/uc/retention.js';
import { Capability, dependencyOwners, Hooks, type CapabilityName, type ServiceCapabilities, type WorkspaceServices } from './wiring.js';

/** A fresh `ctx.services` (see ./wiring.ts): every capability empty, no subscribers, the queue not started. */
export function createWorkspaceServices(base: { database: Database; logger: Logger }): WorkspaceServices {
  const capability = <K extends CapabilityName>(name: K) => new Capability<ServiceCapabilities[K]>(name, dependencyOwners[name]);
  return {
    sql: capability('sql'),
    localCluster: capability('localCluster'),
    workspaceConf: capability('workspaceConf'),
    runEngine: capability('runEngine'),
    jobScheduler: capability('jobScheduler'),
    mailer: capability('mailer'),
    datasets: capability('datasets'),
    events: { userCreated: new Hooks(), jobChanged: new Hooks(), jobDeleted: new Hooks() },
    queue: new WorkspaceQueue(base.database, base.logger),
    tableRetention: createTableRetention(),
  };
}
