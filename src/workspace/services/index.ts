import type { ServiceModule } from '../service.js';
import { uiService } from './ui/index.js';
import { legacyGroupsService } from './groups-legacy/index.js';
import { scimService } from './scim/index.js';
import { tokensService } from './tokens/index.js';
import { ucService } from './uc/index.js';
import { filesService } from './files/index.js';
import { dbfsService } from './dbfs/index.js';
import { sqlService } from './sql/index.js';
import { clustersService } from './clusters/index.js';
import { jobsService } from './jobs/index.js';
import { secretsService } from './secrets/index.js';
import { workspaceService } from './workspace/index.js';
import { runsService } from './runs/index.js';
import { accessControlService } from './access-control/index.js';
import { datasetsService } from './datasets/index.js';
import { reposService } from './repos/index.js';
import { workspaceConfService } from './workspace-conf/index.js';

/** Every emulated service, in initialisation order. */
export function allServices(): ServiceModule[] {
  return [scimService, workspaceConfService, tokensService, workspaceService, reposService, legacyGroupsService, ucService, filesService, dbfsService, sqlService, clustersService, jobsService, runsService, secretsService, accessControlService, datasetsService, uiService];
}
