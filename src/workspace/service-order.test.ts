import { describe, expect, it } from 'vitest';
import type { ServiceModule } from './service.js';
import { orderServices } from './service-order.js';
import type { ServiceDependency } from './wiring.js';

const mod = (name: string, deps: { provides?: ServiceDependency[]; uses?: ServiceDependency[] } = {}): ServiceModule => ({ name, ...deps, routes: () => undefined });
const names = (mods: ServiceModule[]) => mods.map((m) => m.name);

describe('orderServices', () => {
  it('puts providers before the modules that use them and keeps the listed order otherwise', () => {
    const runs = mod('runs', { provides: ['runEngine'], uses: ['sql', 'localCluster', 'jobChanged'] });
    const jobs = mod('jobs', { provides: ['jobChanged', 'jobDeleted'], uses: ['localCluster'] });
    const clusters = mod('clusters', { provides: ['localCluster'] });
    const sql = mod('sql', { provides: ['sql'] });
    const ui = mod('ui');
    expect(names(orderServices([ui, runs, jobs, sql, clusters]))).toEqual(['ui', 'sql', 'clusters', 'jobs', 'runs']);
    expect(names(orderServices([clusters, jobs, sql, runs, ui]))).toEqual(['clusters', 'jobs', 'sql', 'runs', 'ui']);
  });

  it('allows a used capability whose provider is not part of the app', () => {
    expect(names(orderServices([mod('runs', { uses: ['sql'] }), mod('ui')]))).toEqual(['runs', 'ui']);
  });

  it('refuses a provider other than the owner, two providers, and cycles', () => {
    expect(() => orderServices([mod('jobs', { provides: ['sql'] })])).toThrow('service jobs declares it provides sql, whose owner is sql');
    expect(() => orderServices([mod('sql', { provides: ['sql'] }), mod('sql', { provides: ['sql'] })])).toThrow('services sql and sql both provide sql');
    const cycle = [mod('sql', { provides: ['sql'], uses: ['runEngine'] }), mod('runs', { provides: ['runEngine'], uses: ['sql'] }), mod('ui')];
    expect(() => orderServices(cycle)).toThrow('the services sql, runs depend on each other in a cycle');
  });
});
