import { describe, expect, it } from 'vitest';
import type { ServiceModule } from '../../src/workspace/service.js';
import { scimService } from '../../src/workspace/services/scim/index.js';
import type { ServiceDependency } from '../../src/workspace/wiring.js';
import { startTestWorkspace } from '../helpers/workspace.js';

// The app factory builds one ctx.services per workspace and runs init/start/stop in the order the
// modules' provides/uses give, whatever order they are listed in.

function probe(name: string, log: string[], deps: { provides?: ServiceDependency[]; uses?: ServiceDependency[] }): ServiceModule {
  return {
    name,
    ...deps,
    init: () => Promise.resolve(void log.push(`init ${name}`)),
    routes: () => void log.push(`routes ${name}`),
    start: () => Promise.resolve(void log.push(`start ${name}`)),
    stop: () => Promise.resolve(void log.push(`stop ${name}`)),
  };
}

describe('workspace wiring', () => {
  it('initialises and starts providers before their users and stops them after', async () => {
    const log: string[] = [];
    const ws = await startTestWorkspace({
      services: [probe('runs', log, { provides: ['runEngine'], uses: ['sql', 'localCluster'] }), probe('sql', log, { provides: ['sql'] }), probe('clusters', log, { provides: ['localCluster'] })],
    });
    await ws.close();
    expect(log).toEqual([
      'init sql', 'init clusters', 'init runs',
      'routes sql', 'routes clusters', 'routes runs',
      'start sql', 'start clusters', 'start runs',
      'stop runs', 'stop clusters', 'stop sql',
    ]);
  });

  it('gives every workspace its own services object', async () => {
    const [a, b] = await Promise.all([startTestWorkspace({ services: [scimService] }), startTestWorkspace({ services: [scimService] })]);
    try {
      expect(a.ctx.services).not.toBe(b.ctx.services);
      const seenByA: string[] = [];
      a.ctx.services.events.userCreated.subscribe((u) => void seenByA.push(u.userName));
      const createUser = async (ws: typeof a, userName: string) => {
        const r = await ws.api('/api/2.0/preview/scim/v2/Users', { method: 'POST', json: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName } });
        expect(r.status).toBe(201);
      };
      await createUser(b, 'in-b@example.com');
      await createUser(a, 'in-a@example.com');
      expect(seenByA).toEqual(['in-a@example.com']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
