import type { ServiceModule } from '../service.js';

/** Every emulated service, in initialisation order. */
export function allServices(): ServiceModule[] {
  return [];
}
