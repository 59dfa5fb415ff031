import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseBody, readRaw, tokenOf, type Args } from './body.js';
import type { CallLog } from './calls.js';
import { faultResponse, type FaultQueue } from './faults.js';
import type { SocketModeServer } from './socket-mode.js';
import type { StoredFile } from './store.js';
import type { FakeTeam } from './team.js';
import { callMethod, type ApiContext } from './web-api.js';

export interface Routes {
  api: ApiContext;
  log: CallLog;
  faults: FaultQueue;
  socket: SocketModeServer;
}

/**
 * One node:http server for all of the fake:
 *   POST /api/<method>      Web API            GET /link?ticket=…  Socket Mode (upgrade)
 *   POST /upload/<file_id>  upload URL bytes   POST /response/<id> response_url
 *   GET  /files-pri/<team>-<file_id>/[download/]<name>   a file's bytes (url_private[_download])
 */
export function createFakeServer(routes: Routes): Server {
  const server = createServer((req, res) => {
    handle(req, res, routes).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake slack crashed: ${String(err)}`);
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/link') routes.socket.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, { api, log, faults }: Routes): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const raw = await readRaw(req);
  const body = await parseBody(req, raw);
  const token = tokenOf(req, body.args);
  const [, kind = '', id = ''] = path.split('/');
  const method = kind === 'api' ? id : kind === 'upload' ? 'upload' : kind === 'response' ? 'response_url' : kind === 'files-pri' ? 'url_private' : '';
  if (method === '') {
    res.writeHead(404).end();
    return;
  }
  const base = { method, token, contentType: body.contentType };

  // An injected fault answers before anything else happens (no state change), like a real failure.
  const fault = faults.take(method);
  if (fault !== undefined) {
    const out = faultResponse(fault);
    log.record({ ...base, args: body.args, status: out.status, response: parseMaybe(out.body), fault });
    res.writeHead(out.status, out.headers).end(out.body);
    return;
  }

  if (method === 'upload') {
    // files.uploadV2 POSTs multipart with one file part named `body`; raw bytes are accepted too.
    const file = api.store.files.get(id);
    const data = body.files[0]?.data ?? raw;
    const args: Args = { file_id: id, size: data.length, filename: body.files[0]?.filename };
    if (file === undefined) {
      log.record({ ...base, args, status: 404, response: 'file not found' });
      res.writeHead(404, { 'content-type': 'text/plain' }).end('file not found');
      return;
    }
    file.data = data;
    log.record({ ...base, args, status: 200, response: `OK - ${data.length}` });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${data.length}`);
    return;
  }

  if (method === 'url_private') {
    // The token must come as a header: a file link is a plain GET, like a browser's.
    const fileId = id.slice(id.indexOf('-') + 1);
    const file = api.store.files.get(fileId);
    const args: Args = { file_id: fileId, download: path.split('/')[3] === 'download' };
    const status = downloadStatus(req.headers.authorization, api.team, file);
    log.record({ ...base, args, status, response: status === 200 ? `${file?.data?.length} bytes` : STATUS_TEXT[status] });
    if (status === 200 && file?.data !== undefined) {
      res.writeHead(200, { 'content-type': file.mimetype, 'content-length': file.data.length }).end(file.data);
    } else if (status === 404) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('file not found');
    } else {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(SIGN_IN_PAGE);
    }
    return;
  }

  if (method === 'response_url') {
    const args = { ...body.args, response_url_id: id };
    log.record({ ...base, args, status: 200, response: { ok: true } });
    sendJson(res, { ok: true });
    return;
  }

  const result = callMethod(method, body.args, token, api);
  log.record({ ...base, args: body.args, status: 200, response: result });
  sendJson(res, result);
}

/** A file's bytes go only to the bot token, as files.slack.com answers: unauthenticated first, then unknown. */
function downloadStatus(authorization: string | undefined, team: FakeTeam, file: StoredFile | undefined): 200 | 401 | 403 | 404 {
  if (authorization === undefined) return 401;
  if (authorization !== `Bearer ${team.botToken}`) return 403;
  return file?.data === undefined ? 404 : 200;
}

const STATUS_TEXT: Record<number, string> = { 401: 'no token', 403: 'wrong token', 404: 'file not found' };

/** What Slack shows a request for a private file it won't serve: its sign-in page, never the file. */
const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to your workspace</body></html>';

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
