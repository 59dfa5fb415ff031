import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitUntil } from '../wait.js';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** One Socket Mode delivery, exactly as sent on the wire. */
export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** What the client sent back for an envelope: `{ envelope_id, payload? }`. */
export interface Ack {
  envelope_id: string;
  payload?: unknown;
  at: number;
}

export interface DeliverOptions {
  retryAttempt?: number;
  retryReason?: string;
  acceptsResponsePayload?: boolean;
}

/**
 * The Socket Mode side of the fake: a WebSocket endpoint that greets with `hello`, pushes envelopes
 * to the app and records its acks. Shares the HTTP server's port (upgrade on /link).
 */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly emitter = new EventEmitter();
  private readonly open: WebSocket[] = [];
  readonly delivered: Envelope[] = [];
  readonly acks: Ack[] = [];
  /** Non-ack frames the client sent (there should be none). */
  readonly otherFrames: unknown[] = [];
  /** Connections ever accepted, so a test can wait for a reconnect (count 2). */
  connectionCount = 0;

  constructor(private readonly appId: string) {
    this.emitter.setMaxListeners(0);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    this.open.push(ws);
    this.connectionCount += 1;
    ws.on('message', (data) => this.onFrame(data.toString()));
    ws.on('close', () => this.open.splice(this.open.indexOf(ws), 1));
    ws.on('error', () => ws.terminate());
    // The client only needs type:'hello' to resolve start(); the rest mirrors what Slack sends.
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.emitter.emit('connection');
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.otherFrames.push(text);
      return;
    }
    if (typeof frame === 'object' && frame !== null && 'envelope_id' in frame && typeof frame.envelope_id === 'string') {
      const ack: Ack = { envelope_id: frame.envelope_id, at: Date.now() };
      if ('payload' in frame) ack.payload = frame.payload;
      this.acks.push(ack);
      this.emitter.emit('ack');
    } else {
      this.otherFrames.push(frame);
    }
  }

  /** Send an envelope to the newest open connection (Slack picks any of the app's connections). */
  deliver(type: EnvelopeType, payload: unknown, opts: DeliverOptions = {}): Envelope {
    const ws = this.open.at(-1);
    if (ws === undefined) throw new Error('fake slack: no Socket Mode connection to deliver to (did app.start() finish?)');
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
      retry_attempt: opts.retryAttempt ?? 0,
      retry_reason: opts.retryReason ?? '',
    };
    ws.send(JSON.stringify(envelope));
    this.delivered.push(envelope);
    return envelope;
  }

  /** Deliver the same payload again as Slack does when an ack was late: new envelope, same event_id. */
  redeliver(envelope: Envelope, retryAttempt = 1, retryReason = 'timeout'): Envelope {
    return this.deliver(envelope.type, envelope.payload, {
      retryAttempt,
      retryReason,
      acceptsResponsePayload: envelope.accepts_response_payload,
    });
  }

  waitForAck(envelopeId: string, timeoutMs = 5000): Promise<Ack> {
    return waitUntil(this.emitter, 'ack', () => this.acks.find((a) => a.envelope_id === envelopeId), timeoutMs,
      () => `ack of envelope ${envelopeId} (acks so far: ${this.acks.map((a) => a.envelope_id).join(', ') || 'none'})`);
  }

  /** Wait until `count` connections have ever been accepted (2 = reconnected once). */
  waitForConnection(count = 1, timeoutMs = 5000): Promise<number> {
    return waitUntil(this.emitter, 'connection', () => (this.connectionCount >= count ? this.connectionCount : undefined),
      timeoutMs, () => `Socket Mode connection #${count} (have ${this.connectionCount})`);
  }

  /** Ask every client to reconnect, as Slack does before recycling a server. */
  requestDisconnect(reason = 'refresh_requested'): void {
    const frame = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
    for (const ws of this.open) ws.send(frame);
  }

  get openConnections(): number {
    return this.open.length;
  }

  /** Drop every connection without a handshake: the fake is going away. */
  close(): Promise<void> {
    for (const ws of [...this.open]) ws.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
