import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { guildCreateJson } from './payloads.js';
import type { FakeState } from './state.js';
import type { Json } from './types.js';
import { disallowedIntents } from './visibility.js';
import { waitUntil } from './wait.js';

/**
 * The fake gateway: plain JSON text frames over ws. discord.js only adds `compress=zlib-stream` when
 * zlib-sync is installed, and even then @discordjs/ws JSON-parses text frames directly, so plain
 * JSON always works. HELLO → IDENTIFY → READY + GUILD_CREATE per guild, heartbeat ACKs, RESUME
 * with replay of missed dispatches.
 */

export interface GatewaySession {
  id: string;
  intents: number;
  identify: Json;
  seq: number;
  /** Undefined while disconnected; the session can still be resumed. */
  socket: WebSocket | undefined;
  /** Recent dispatches, replayed on RESUME. */
  buffer: Array<{ s: number; t: string; d: unknown }>;
}

/** A payload the client sent. */
export interface GatewayFrame {
  sessionId: string | undefined;
  op: number;
  d: unknown;
  at: number;
}

interface Connection {
  socket: WebSocket;
  session: GatewaySession | undefined;
}

const BUFFER_SIZE = 500;

export class FakeGateway {
  readonly sessions = new Map<string, GatewaySession>();
  /** Every payload clients sent (IDENTIFY, heartbeats, presence updates, ...). */
  readonly received: GatewayFrame[] = [];
  /** Query strings of every connection, e.g. { v: '10', encoding: 'json' }. */
  readonly connections: Array<Record<string, string>> = [];
  url = '';
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly live = new Set<Connection>();
  /** Upgrade requests left unanswered while `holdUpgrades` is on: clients stay "connecting". */
  private readonly held = new Set<Duplex>();
  private holding = false;

  constructor(
    private readonly state: FakeState,
    private readonly activity: EventEmitter,
  ) {}

  /** Called from the HTTP server's 'upgrade' event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/gateway' && url.pathname !== '/gateway/') {
      socket.destroy();
      return;
    }
    if (this.holding) {
      this.held.add(socket);
      socket.on('close', () => this.held.delete(socket));
      this.activity.emit('activity');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, Object.fromEntries(url.searchParams)));
  }

  private onConnection(socket: WebSocket, query: Record<string, string>): void {
    const conn: Connection = { socket, session: undefined };
    this.live.add(conn);
    this.connections.push(query);
    socket.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    socket.on('close', (code) => this.onClose(conn, code));
    socket.on('error', () => undefined); // a client vanishing mid-frame is not the fake's problem
    if (query.v !== undefined && query.v !== '10') return void socket.close(4012, 'Invalid API version.');
    if (query.encoding !== undefined && query.encoding !== 'json') return void socket.close(4002, 'Error while decoding payload.');
    this.send(socket, { op: 10, d: { heartbeat_interval: this.state.config.heartbeatIntervalMs, _trace: ['fake-gateway'] }, s: null, t: null });
  }

  private onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      if (isBinary) throw new Error('binary frames need ETF or compression, which the fake does not speak');
      payload = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
    } catch {
      conn.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    this.received.push({ sessionId: conn.session?.id, op, d: payload.d, at: Date.now() });
    this.activity.emit('activity');
    switch (op) {
      case 1: // heartbeat
        return this.send(conn.socket, { op: 11, d: null, s: null, t: null });
      case 2:
        return this.identify(conn, (payload.d ?? {}) as Json);
      case 6:
        return this.resume(conn, (payload.d ?? {}) as Json);
      case 3: // presence update
      case 4: // voice state update
      case 8: // request guild members
        if (!conn.session) conn.socket.close(4003, 'Not authenticated.');
        return;
      default:
        conn.socket.close(4001, 'Unknown opcode.');
    }
  }

  private onClose(conn: Connection, code: number): void {
    this.live.delete(conn);
    const session = conn.session;
    if (!session || session.socket !== conn.socket) return;
    session.socket = undefined;
    // A client closing with 1000/1001 ends its session, as on Discord; other codes keep it resumable.
    if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    this.activity.emit('activity');
  }

  private tokenOk(token: unknown): boolean {
    const expected = this.state.config.token;
    return typeof token === 'string' && (expected === undefined || token === expected);
  }

  private identify(conn: Connection, d: Json): void {
    if (conn.session) return void conn.socket.close(4005, 'Already authenticated.');
    if (!this.tokenOk(d.token)) return void conn.socket.close(4004, 'Authentication failed.');
    if (typeof d.intents !== 'number') return void conn.socket.close(4013, 'Invalid intent(s).');
    if (disallowedIntents(this.state.config, d.intents) !== 0 && this.state.config.onDisallowedIntents === 'close') {
      return void conn.socket.close(4014, 'Disallowed intent(s).');
    }
    const session: GatewaySession = { id: randomBytes(16).toString('hex'), intents: d.intents, identify: d, seq: 0, socket: conn.socket, buffer: [] };
    this.sessions.set(session.id, session);
    conn.session = session;
    const { bot, applicationId, guilds, privileged } = this.state.config;
    this.sendDispatch(session, 'READY', {
      v: 10,
      user: { ...bot, verified: true, mfa_enabled: false, email: null, flags: 0 },
      user_settings: {},
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url,
      shard: [0, 1],
      // GATEWAY_MESSAGE_CONTENT_LIMITED (1 << 19): what an unverified bot with the intent enabled has.
      application: { id: applicationId, flags: privileged.messageContent ? 1 << 19 : 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['fake-gateway'],
    });
    for (const guild of guilds) if (!guild.unavailable) this.sendDispatch(session, 'GUILD_CREATE', guildCreateJson(this.state, guild));
    this.activity.emit('activity');
  }

  private resume(conn: Connection, d: Json): void {
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!this.tokenOk(d.token)) return void conn.socket.close(4004, 'Authentication failed.');
    if (!session) return this.send(conn.socket, { op: 9, d: false, s: null, t: null });
    session.socket?.close(4000, 'Session resumed elsewhere.');
    session.socket = conn.socket;
    conn.session = session;
    const from = typeof d.seq === 'number' ? d.seq : 0;
    for (const ev of session.buffer) if (ev.s > from) this.send(conn.socket, { op: 0, ...ev });
    this.sendDispatch(session, 'RESUMED', { _trace: ['fake-gateway'] });
    this.activity.emit('activity');
  }

  private send(socket: WebSocket, payload: Json): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }

  private sendDispatch(session: GatewaySession, t: string, d: unknown): void {
    session.seq += 1;
    const ev = { s: session.seq, t, d };
    session.buffer.push(ev);
    if (session.buffer.length > BUFFER_SIZE) session.buffer.shift();
    if (session.socket) this.send(session.socket, { op: 0, ...ev });
  }

  /**
   * Send a dispatch to every session (connected or waiting to resume). `intent`, if given, must be
   * among the session's intents; `d` may be a function to tailor the payload per session (undefined
   * skips it). Returns how many sessions got it.
   */
  dispatch(t: string, d: unknown | ((session: GatewaySession) => unknown), intent?: number): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      const data: unknown = typeof d === 'function' ? (d as (s: GatewaySession) => unknown)(session) : d;
      if (data === undefined) continue;
      this.sendDispatch(session, t, data);
      count += 1;
    }
    return count;
  }

  /** Gateway connections clients hold open right now. */
  get openConnections(): number {
    return this.live.size;
  }

  /** Resolves with the newest session once a client has identified (or resumed). */
  waitForSession(timeoutMs = 5000): Promise<GatewaySession> {
    return waitUntil(this.activity, 'activity', () => [...this.sessions.values()].reverse().find((s) => s.socket), timeoutMs, 'a gateway session');
  }

  /** Drop every connection with `code` (4000 keeps sessions resumable; discord.js then RESUMEs). */
  disconnect(code = 4000, reason = 'fake disconnect'): void {
    for (const conn of this.live) conn.socket.close(code, reason);
  }

  /** op 7: ask clients to reconnect and resume. */
  requestReconnect(): void {
    for (const conn of this.live) this.send(conn.socket, { op: 7, d: null, s: null, t: null });
  }

  /** op 9: invalidate sessions; with `resumable` false clients must IDENTIFY again. */
  invalidateSessions(resumable = false): void {
    for (const conn of this.live) {
      if (!resumable && conn.session) this.sessions.delete(conn.session.id);
      this.send(conn.socket, { op: 9, d: resumable, s: null, t: null });
    }
  }

  /** From now on, answer no connection attempt: a gateway that takes TCP connections but never says hello. */
  holdUpgrades(): void {
    this.holding = true;
  }

  /** Connection attempts held open right now. */
  get heldUpgrades(): number {
    return this.held.size;
  }

  /** Drop the held attempts without an answer: each client's connect fails ("socket hang up"). */
  failHeldUpgrades(): void {
    for (const socket of this.held) socket.destroy();
  }

  close(): Promise<void> {
    this.failHeldUpgrades();
    for (const conn of this.live) conn.socket.terminate();
    this.live.clear();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
