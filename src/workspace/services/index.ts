import type { ServiceModule } from '../service.js';
import { uiService } from './ui/index.js';
import { legacyGroupsService } from './groups-legacy/index.js';
import { scimService } from './scim/index.js';
import { tokensService } from './tokens/index.js';
import { ucService } from './uc/index.js';
import { filesService } from './files/index.js';
import { sqlService } from './sql/index.js';
import { clustersService } from './clusters/index.js';
import { jobsService } from './jobs/index.js';
import { secretsService } from './secrets/index.js';
import { workspaceService } from './workspace/index.js';
import { runsService } from './runs/index.js';
import { datasetsService } from './datasets/index.js';

/** Every emulated service, in initialisation order. */
export function allServices(): ServiceModule[] {
  return [scimService, tokensService, workspaceService, legacyGroupsService, ucService, filesService, sqlService, clustersService, jobsService, runsService, secretsService, datasetsService, uiService];
}
