import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../../core/errors.js';
import type { Principal } from '../services/identity/principal.js';
import { parseWith, readParams, readQuery } from './body.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface RouteInfo {
  method: Method;
  path: string;
  /** Public routes skip authentication (the well-known config document, the UI page and assets). */
  public: boolean;
}

export type AppEnv = { Variables: { principal: Principal; requestId: string } };
export type ApiContext = Context<AppEnv>;
/** A handler returns a Response, a JSON-able value, or nothing (→ `{}`). */
export type ApiHandler = (c: ApiContext) => Promise<unknown> | unknown;
/** A handler whose input was validated by the route's schema (query string and JSON body merged). */
export type ValidatedHandler<S extends z.ZodType> = (c: ApiContext, input: z.infer<S>) => Promise<unknown> | unknown;

export interface RouteOptions {
  /** Skips the token check: only for documents that hold no data. */
  public?: boolean;
  /** Renders the route's errors in another shape than Databricks' (SCIM answers RFC 7644 errors). */
  renderError?: (err: ApiError) => Response;
}

export interface ValidatedRouteOptions<S extends z.ZodType> extends RouteOptions {
  /** The request's schema from src/api/; a mismatch answers 400 INVALID_PARAMETER_VALUE naming the field. */
  input: S;
  /** `raw`: the body is the handler's to read or stream (an upload); the input is the query string only. */
  body?: 'raw';
}

/** Literal paths: every route is written out whole, so a search for `/api/2.1/jobs/create` finds it. */
type Paths = string | readonly string[];

/**
 * Registers routes on the Hono app with the token check as route middleware (public routes go
 * without it) and an optional input schema validated before the handler runs.
 */
export class ApiRouter {
  constructor(
    private readonly app: Hono<AppEnv>,
    /** Sets the principal on the context or throws UNAUTHENTICATED. */
    private readonly requireToken: MiddlewareHandler<AppEnv>,
  ) {}

  /** Every route of the app, read back from Hono itself: public = registered without the token check. */
  get routes(): RouteInfo[] {
    const byKey = new Map<string, RouteInfo>();
    for (const r of this.app.routes) {
      if (r.method === 'ALL') continue;
      const key = `${r.method} ${r.path}`;
      const info = byKey.get(key) ?? { method: r.method as Method, path: r.path, public: true };
      if (r.handler === this.requireToken) info.public = false;
      byKey.set(key, info);
    }
    return [...byKey.values()];
  }

  get(paths: Paths, handler: ApiHandler, opts?: RouteOptions): void;
  get<S extends z.ZodType>(paths: Paths, opts: ValidatedRouteOptions<S>, handler: ValidatedHandler<S>): void;
  get(paths: Paths, a: unknown, b?: unknown): void {
    this.add('GET', paths, a, b);
  }
  post(paths: Paths, handler: ApiHandler, opts?: RouteOptions): void;
  post<S extends z.ZodType>(paths: Paths, opts: ValidatedRouteOptions<S>, handler: ValidatedHandler<S>): void;
  post(paths: Paths, a: unknown, b?: unknown): void {
    this.add('POST', paths, a, b);
  }
  put(paths: Paths, handler: ApiHandler, opts?: RouteOptions): void;
  put<S extends z.ZodType>(paths: Paths, opts: ValidatedRouteOptions<S>, handler: ValidatedHandler<S>): void;
  put(paths: Paths, a: unknown, b?: unknown): void {
    this.add('PUT', paths, a, b);
  }
  patch(paths: Paths, handler: ApiHandler, opts?: RouteOptions): void;
  patch<S extends z.ZodType>(paths: Paths, opts: ValidatedRouteOptions<S>, handler: ValidatedHandler<S>): void;
  patch(paths: Paths, a: unknown, b?: unknown): void {
    this.add('PATCH', paths, a, b);
  }
  delete(paths: Paths, handler: ApiHandler, opts?: RouteOptions): void;
  delete<S extends z.ZodType>(paths: Paths, opts: ValidatedRouteOptions<S>, handler: ValidatedHandler<S>): void;
  delete(paths: Paths, a: unknown, b?: unknown): void {
    this.add('DELETE', paths, a, b);
  }
  head(paths: Paths, handler: ApiHandler, opts?: RouteOptions): void;
  head<S extends z.ZodType>(paths: Paths, opts: ValidatedRouteOptions<S>, handler: ValidatedHandler<S>): void;
  head(paths: Paths, a: unknown, b?: unknown): void {
    this.add('HEAD', paths, a, b);
  }

  private add(method: Method, paths: Paths, a: unknown, b: unknown): void {
    const validated = typeof a !== 'function';
    const opts = (validated ? a : b) as (RouteOptions & { input?: z.ZodType; body?: 'raw' }) | undefined;
    const handler = (validated ? b : a) as (c: ApiContext, input?: unknown) => unknown;
    const list = typeof paths === 'string' ? [paths] : [...paths];
    const schema = opts?.input;
    const rawBody = opts?.body === 'raw';
    const renderError = opts?.renderError;
    const run = async (c: ApiContext) => {
      try {
        // read (and checked: NUL, UTF-8, nesting) on every route, with a schema or without one
        const params = rawBody ? readQuery(c) : await readParams(c);
        const input = schema === undefined ? undefined : parseWith(schema, params);
        return toResponse(c, await handler(c, input));
      } catch (err) {
        if (renderError && err instanceof ApiError) return renderError(err);
        throw err;
      }
    };
    if (opts?.public) this.app.on(method, list, run);
    else this.app.on(method, list, this.requireToken, run);
  }
}

function toResponse(c: ApiContext, result: unknown): Response {
  if (result instanceof Response) return result;
  // the legacy CLI calls resp.json() on every 2xx: never answer with an empty body
  return c.json(result ?? {});
}
