/**
 * How the services of one workspace reach each other: `ctx.services`, one object per app, built
 * by `createWorkspaceApp`. Nothing here is process-wide.
 *
 * Each part is declared in the module of its one owner, by declaration merging into the
 * interfaces below (so this module, imported by the context every module uses, imports none of
 * them):
 *
 *   capability    holds                                  owner (sets it)        declared in
 *   sql           SqlWarehouse (engine, runner, id)      sql (init)             services/sql/index.ts
 *   localCluster  LocalCluster                           clusters (init)        services/clusters/local-cluster.ts
 *   runEngine     RunEngine                              runs (start)           services/runs/index.ts
 *   jobScheduler  RunScheduler                           runs (start)           services/runs/index.ts
 *   mailer        Mailer (only with `smtp` configured)   runs (start)           services/runs/index.ts
 *   datasets      DatasetsRuntime (settings, sync target) datasets (init)       services/datasets/index.ts
 *
 *   event         arguments                              fired by               declared in
 *   userCreated   { id, userName }                       identity (seed, SCIM)  services/identity/store.ts
 *   jobChanged    JobRecord                              jobs                   services/jobs/store.ts
 *   jobDeleted    jobId                                  jobs                   services/jobs/store.ts
 *
 *   resource        what                                 lifecycle                               declared in
 *   queue           WorkspaceQueue (pg-boss)             started by its first user, stopped      queue/boss.ts
 *                                                        by the app after every service
 *   tableRetention  superseded Unity Catalog table       swept on the clock, stopped with the    services/uc/retention.ts
 *                   files kept for running readers       sql service
 *
 * A service module declares what it `provides` and `uses` (./service.ts); the app orders init,
 * start and stop from that (./service-order.ts). A capability whose service is not part of the
 * app stays empty: readers treat that as "off" (`current`) or fail naming the owner (`require`).
 */

/** A value one service provides (sets while it runs) and other services read. */
export class Capability<T> {
  private value: T | undefined;

  constructor(
    readonly name: string,
    /** The one service that provides it, named in errors. */
    readonly owner: string,
  ) {}

  /** Called by the owner when the value becomes available; a second value is a wiring bug. */
  provide(value: T): void {
    if (this.value !== undefined) throw new Error(`${this.name} is already provided (by the ${this.owner} service)`);
    this.value = value;
  }

  /** Called by the owner when it stops; with `value`, only if that is still the one provided. */
  withdraw(value?: T): void {
    if (value === undefined || this.value === value) this.value = undefined;
  }

  /** The value, or undefined when its service is absent or not running. */
  get current(): T | undefined {
    return this.value;
  }

  /** The value; throws when its service is absent or not running. */
  require(): T {
    if (this.value === undefined) throw new Error(`${this.name} is not available: the ${this.owner} service is not running`);
    return this.value;
  }
}

/** Subscribers of one event, called in subscription order by the event's owner. */
export class Hooks<A extends unknown[]> {
  private readonly hooks: Array<(...args: A) => Promise<void> | void> = [];

  subscribe(hook: (...args: A) => Promise<void> | void): void {
    this.hooks.push(hook);
  }

  /** A snapshot, so a hook subscribing while an event is delivered waits for the next one. */
  list(): ReadonlyArray<(...args: A) => Promise<void> | void> {
    return [...this.hooks];
  }
}

/* eslint-disable @typescript-eslint/no-empty-object-type -- filled by declaration merging in the owners' modules (see above) */
/** What each capability holds while its service runs. */
export interface ServiceCapabilities {}
/** Each event's arguments. */
export interface WorkspaceEventArgs {}
/** Per-app resources that belong to no one service. */
export interface WorkspaceResources {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

export type CapabilityName = keyof ServiceCapabilities;
export type EventName = keyof WorkspaceEventArgs;
/** Something a service module provides or uses: a capability, or an event it fires or subscribes to. */
export type ServiceDependency = CapabilityName | EventName;

export type WorkspaceEvents = { readonly [E in EventName]: Hooks<WorkspaceEventArgs[E]> };

export type WorkspaceServices = { readonly [K in CapabilityName]: Capability<ServiceCapabilities[K]> } & {
  readonly events: WorkspaceEvents;
} & Readonly<WorkspaceResources>;

/** The service that provides each capability and fires each event (checked by ./service-order.ts). */
export const dependencyOwners: { readonly [D in ServiceDependency]: string } = {
  sql: 'sql',
  localCluster: 'clusters',
  workspaceConf: 'workspace-conf',
  runEngine: 'runs',
  jobScheduler: 'runs',
  mailer: 'runs',
  datasets: 'datasets',
  userCreated: 'identity',
  jobChanged: 'jobs',
  jobDeleted: 'jobs',
};
