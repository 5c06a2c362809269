import type { ServiceModule } from './service.js';
import { dependencyOwners as owners, type ServiceDependency } from './wiring.js';

/**
 * The order to initialise and start `modules` in (stop runs it backwards): every module after the
 * modules providing what it uses, otherwise as listed. Refuses a dependency provided by a module
 * other than its declared owner, two providers of one thing, and dependency cycles.
 */
export function orderServices(modules: readonly ServiceModule[]): ServiceModule[] {
  const providerOf = new Map<ServiceDependency, ServiceModule>();
  for (const m of modules) {
    for (const d of m.provides ?? []) {
      if (owners[d] !== m.name) throw new Error(`service ${m.name} declares it provides ${d}, whose owner is ${owners[d]}`);
      const other = providerOf.get(d);
      if (other) throw new Error(`services ${other.name} and ${m.name} both provide ${d}`);
      providerOf.set(d, m);
    }
  }
  const before = (m: ServiceModule) =>
    (m.uses ?? []).map((d) => providerOf.get(d)).filter((p): p is ServiceModule => p !== undefined && p !== m);

  const ordered: ServiceModule[] = [];
  const placed = new Set<ServiceModule>();
  const remaining = [...modules];
  while (remaining.length > 0) {
    const i = remaining.findIndex((m) => before(m).every((p) => placed.has(p)));
    if (i < 0) throw new Error(`the services ${remaining.map((m) => m.name).join(', ')} depend on each other in a cycle`);
    const [next] = remaining.splice(i, 1);
    ordered.push(next!);
    placed.add(next!);
  }
  return ordered;
}
