import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody, readRaw } from './body.js';
import { discordError } from './errors.js';
import { faultReply, rateLimitHeaders, type FaultQueue } from './faults.js';
import type { FakeGateway } from './gateway.js';
import { appRoutes } from './restApp.js';
import { interactionRoutes } from './restInteractions.js';
import { messageRoutes } from './restMessages.js';
import { findRoute, type Reply } from './router.js';
import type { FakeState } from './state.js';
import type { RecordedRequest } from './types.js';

/**
 * The REST side: strip the `/api[/vN]` prefix, read and parse the body, apply an injected fault or
 * route it, add rate-limit headers, and record the exchange before answering (so a test that
 * awaited the discord.js call always finds it in the log).
 */

const routes = [...appRoutes, ...messageRoutes, ...interactionRoutes];

export interface RestDeps {
  state: FakeState;
  gateway: FakeGateway;
  faults: FaultQueue;
  log: RecordedRequest[];
  activity: EventEmitter;
}

export function restHandler(deps: RestDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake discord crashed: ${String(err)}`, code: 0 }));
    });
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function authOk(state: FakeState, auth: string | undefined): boolean {
  const expected = state.config.token;
  if (!auth?.startsWith('Bot ')) return false;
  return expected === undefined || auth === `Bot ${expected}`;
}

async function handle(deps: RestDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' && url.pathname.startsWith('/attachments/')) return serveAttachment(deps.state, url.pathname, res);
  const prefixed = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
  const rawPath = prefixed?.[1] ?? url.pathname;
  // Decoded per segment (`/messages/@original`, `/reactions/🔁/@me`) for routing and the log alike.
  const path = rawPath.split('/').map(safeDecode).join('/');
  const raw = await readRaw(req);
  const { body, files } = await parseBody(req.headers['content-type'], raw);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
  const rec: RecordedRequest = {
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    headers,
    auth: req.headers.authorization,
    body,
    files,
    status: 0,
    response: undefined,
    at: Date.now(),
  };
  const match = prefixed ? findRoute(routes, method, path) : undefined;
  const template = match && 'route' in match ? match.route.template : path;
  const fault = deps.faults.take(rec);
  if (fault?.kind === 'hang') {
    deps.log.push(rec);
    deps.activity.emit('activity');
    return;
  }
  let reply: Reply;
  if (fault) reply = faultReply(fault, method, template);
  else if (!match) reply = { status: 404, body: { message: '404: Not Found', code: 0 } };
  else if (!('route' in match)) reply = { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
  else if (match.route.auth && !authOk(deps.state, rec.auth)) reply = discordError(0);
  else reply = await match.route.handle({ req: rec, state: deps.state, gateway: deps.gateway }, match.params);

  rec.status = reply.status;
  rec.response = reply.body;
  deps.log.push(rec);
  deps.activity.emit('activity');

  const out: Record<string, string> = { ...rateLimitHeaders(method, template), ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, out).end();
    return;
  }
  res.writeHead(reply.status, { ...out, 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}

/** Attachment URLs point back at the fake, so a bot can download what users "uploaded". */
function serveAttachment(state: FakeState, pathname: string, res: ServerResponse): void {
  const id = pathname.split('/')[3] ?? '';
  const data = state.files.get(id);
  if (!data) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(data.length) }).end(data);
}
