import type { FakeGateway } from './gateway.js';
import type { FakeState } from './state.js';
import type { RecordedRequest } from './types.js';

/** A tiny REST router: routes are templates like `/channels/:cid/messages/:mid`. */

export interface Reply {
  status: number;
  /** JSON body; undefined sends no body (e.g. 204). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  req: RecordedRequest;
  state: FakeState;
  gateway: FakeGateway;
}

export type Handler = (ctx: RouteContext, params: Record<string, string>) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  template: string;
  /** Bot-token routes need `Authorization: Bot …`; interaction and webhook routes don't. */
  auth: boolean;
  handle: Handler;
  regex: RegExp;
  keys: string[];
}

export function route(method: string, template: string, handle: Handler, auth = true): Route {
  const keys: string[] = [];
  const pattern = template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { method, template, auth, handle, regex: new RegExp(`^${pattern}/?$`), keys };
}

export type Match = { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined;

/** First route whose template and method match a decoded path; earlier routes win (`/users/@me` before `/users/:id`). */
export function findRoute(routes: Route[], method: string, path: string): Match {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.keys.forEach((key, i) => (params[key] = m[i + 1] ?? ''));
    return { route: r, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}

export const noContent = (): Reply => ({ status: 204 });
export const ok = (body: unknown): Reply => ({ status: 200, body });
