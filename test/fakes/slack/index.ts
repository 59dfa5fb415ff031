import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CallLog, type RecordedCall } from './calls.js';
import { FaultQueue, type Fault } from './faults.js';
import { createFakeServer } from './http-server.js';
import { createPayloads, type EventCallback, type FileSpec, type Payloads, type SlashCommand } from './payloads.js';
import { SocketModeServer, type Ack, type DeliverOptions, type Envelope } from './socket-mode.js';
import { Store, type FileUrls, type StoredFile } from './store.js';
import { DEFAULT_TEAM, type FakeTeam } from './team.js';

export { postCommand, postEvent, postInteractive, postSigned, slackSignature } from './http-mode.js';
export type { PostResult, SignedPostOptions } from './http-mode.js';
export { DEFAULT_CHANNEL, DEFAULT_DM, VERIFICATION_TOKEN } from './payloads.js';
export type { EventCallback, FileSpec, Payloads, SlashCommand, SlackEvent } from './payloads.js';
export type { Ack, Envelope, RecordedCall, Fault, FakeTeam };
export type { StoredFile, StoredMessage } from './store.js';

export interface FakeSlackOptions {
  /** Override ids and accepted tokens. */
  team?: Partial<FakeTeam>;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: give it to Bolt as `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  team: FakeTeam;
  store: Store;
  /** Every request received, in order (Web API calls, `upload`, `response_url`, `url_private`). */
  calls: readonly RecordedCall[];
  callsTo(method: string): RecordedCall[];
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Next `times` calls to `method` answer with `fault`. */
  injectFault(method: string, fault: Fault, times?: number): void;
  /** Next calls answer 429 ratelimited with Retry-After `retryAfterSec` (default 1). */
  rateLimitNext(method: string, times?: number, retryAfterSec?: number): void;
  /** Next calls answer 200 `{ok:false, error}` (not_in_channel, invalid_auth, channel_not_found, …). */
  failNext(method: string, error: string, times?: number): void;
  /** Next calls answer a bare 5xx. */
  serverErrorNext(method: string, status?: number, times?: number): void;
  /** The Socket Mode endpoint: deliveries, acks, connections. */
  socket: SocketModeServer;
  sendEvent(body: EventCallback, opts?: DeliverOptions): Envelope;
  sendCommand(command: SlashCommand, opts?: DeliverOptions): Envelope;
  sendInteractive(payload: object, opts?: DeliverOptions): Envelope;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<Ack>;
  /** A fresh response_url served (and recorded) by the fake. */
  responseUrl(): string;
  /**
   * A file a user shared (in the store, bytes and all), downloadable from its url_private(_download)
   * with the bot token: put it on a message seeded with `store.add`. Payloads' `files` do this.
   */
  shareFile(spec: FileSpec): StoredFile;
  /** Inbound payload builders, with this fake's ids and response_urls. */
  payloads: Payloads;
  /** Bolt App options that send every Socket Mode/Web API/upload request here (fresh object: Bolt mutates it). */
  boltOptions(): { token: string; appToken: string; socketMode: true; clientOptions: { slackApiUrl: string } };
  close(): Promise<void>;
}

/** Start a fake Slack (Web API + Socket Mode + upload + response_url + file downloads) on 127.0.0.1. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const team: FakeTeam = { ...DEFAULT_TEAM, ...opts.team };
  const store = new Store();
  const log = new CallLog();
  const faults = new FaultQueue();
  const socket = new SocketModeServer(team.appId);
  let baseUrl = '';
  const api = {
    store,
    team,
    socketUrl: () => `${baseUrl.replace('http://', 'ws://')}/link?ticket=${randomUUID()}&app_id=${team.appId}`,
    uploadUrl: (fileId: string) => `${baseUrl}/upload/${fileId}`,
    // As Slack's: https://files.slack.com/files-pri/T…-F…/[download/]name
    fileUrls: (file: StoredFile): FileUrls => {
      const at = `${baseUrl}/files-pri/${team.teamId}-${file.id}`;
      const name = encodeURIComponent(file.name);
      return { url_private: `${at}/${name}`, url_private_download: `${at}/download/${name}` };
    },
  };
  const shareFile = (spec: FileSpec): StoredFile => store.sharedFile(spec.name, Buffer.from(spec.content), api.fileUrls, spec.mimetype);
  const server = createFakeServer({ api, log, faults, socket });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiUrl = `${baseUrl}/api/`;
  const responseUrl = (): string => `${baseUrl}/response/${randomUUID()}`;

  return {
    apiUrl,
    baseUrl,
    team,
    store,
    calls: log.calls,
    callsTo: (method) => log.to(method),
    waitForCall: (method, predicate, timeoutMs) => log.waitFor(method, predicate, timeoutMs),
    injectFault: (method, fault, times = 1) => faults.add(method, fault, times),
    rateLimitNext: (method, times = 1, retryAfterSec = 1) => faults.add(method, { error: 'ratelimited', retryAfterSec }, times),
    failNext: (method, error, times = 1) => faults.add(method, { error }, times),
    serverErrorNext: (method, status = 500, times = 1) => faults.add(method, { error: 'internal_error', status }, times),
    socket,
    sendEvent: (body, o) => socket.deliver('events_api', body, o),
    sendCommand: (command, o) => socket.deliver('slash_commands', command, o),
    sendInteractive: (payload, o) => socket.deliver('interactive', payload, o),
    waitForAck: (envelopeId, timeoutMs) => socket.waitForAck(envelopeId, timeoutMs),
    responseUrl,
    shareFile,
    payloads: createPayloads(team, responseUrl, shareFile),
    boltOptions: () => ({ token: team.botToken, appToken: team.appToken, socketMode: true, clientOptions: { slackApiUrl: apiUrl } }),
    async close() {
      await socket.close();
      server.closeAllConnections(); // keep-alive sockets from the app's fetch would otherwise hold close()
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
