import type { Context, Hono } from 'hono';
import type { Principal } from '../services/identity/principal.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface RouteInfo {
  method: Method;
  path: string;
  /** Public routes skip authentication (only the well-known config document). */
  public: boolean;
}

export type AppEnv = { Variables: { principal: Principal; requestId: string } };
export type ApiContext = Context<AppEnv>;
/** A handler returns a Response, a JSON-able value, or nothing (→ `{}`). */
export type ApiHandler = (c: ApiContext) => Promise<unknown> | unknown;

/**
 * Registers routes on the Hono app and keeps a list of them, so tests can prove that every
 * route but the public ones rejects missing and wrong tokens.
 */
export class ApiRouter {
  readonly routes: RouteInfo[] = [];
  /** `authenticate` sets the principal on the context or throws UNAUTHENTICATED. */
  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly authenticate: (c: ApiContext) => Promise<void>,
  ) {}

  get(paths: string | string[], handler: ApiHandler, opts?: { public?: boolean }): void {
    this.add('GET', paths, handler, opts);
  }
  post(paths: string | string[], handler: ApiHandler, opts?: { public?: boolean }): void {
    this.add('POST', paths, handler, opts);
  }
  put(paths: string | string[], handler: ApiHandler): void {
    this.add('PUT', paths, handler);
  }
  patch(paths: string | string[], handler: ApiHandler): void {
    this.add('PATCH', paths, handler);
  }
  delete(paths: string | string[], handler: ApiHandler): void {
    this.add('DELETE', paths, handler);
  }
  head(paths: string | string[], handler: ApiHandler): void {
    this.add('HEAD', paths, handler);
  }

  private add(method: Method, paths: string | string[], handler: ApiHandler, opts?: { public?: boolean }): void {
    for (const path of Array.isArray(paths) ? paths : [paths]) {
      const isPublic = opts?.public ?? false;
      this.routes.push({ method, path, public: isPublic });
      this.app.on(method, path, async (c) => {
        if (!isPublic) await this.authenticate(c);
        return toResponse(c, await handler(c));
      });
    }
  }
}

function toResponse(c: ApiContext, result: unknown): Response {
  if (result instanceof Response) return result;
  // the legacy CLI calls resp.json() on every 2xx: never answer with an empty body
  return c.json(result ?? {});
}

/** `/api/{2.0,2.1}/x` → both concrete paths; Databricks serves several versions from one handler. */
export function versions(list: string[], suffix: string): string[] {
  return list.map((v) => `/api/${v}${suffix}`);
}
