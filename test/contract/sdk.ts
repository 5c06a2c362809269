import type { WorkspaceClient } from '@databricks/sdk-experimental';
import { createWorkspaceClient } from '../../src/client/sdk.js';
import type { TestWorkspace } from '../helpers/workspace.js';

/** The official JS SDK as a client of a test workspace, as `brickyard` itself builds it. */
export function sdkClient(ws: TestWorkspace, token: string = ws.token): WorkspaceClient {
  return createWorkspaceClient({ host: ws.url, token, authType: 'pat', env: {} } as Parameters<typeof createWorkspaceClient>[0]);
}
