import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A Unix-socket relay in front of the real Docker socket. From the bot's side, `kill()` is what a
 * dying dockerd looks like (every connection reset, the socket refusing new ones), `hang()` is a
 * wedged one (connections accepted, nothing ever answered), `holdExitReports()` a slow one and
 * `restore()` is dockerd coming back, without disturbing the real engine other tests are using.
 */
export class DockerProxy {
  private server: Server | null = null;
  private hung = false;
  private exitReportsHeld = false;
  private readonly exitWaits = new Set<Socket>();
  private readonly sockets = new Set<Socket>();
  private readonly relays = new Set<[Socket, Socket]>();
  private readonly clients = new Set<Socket>();

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  async start(): Promise<void> {
    rmSync(this.path, { force: true });
    // Half-open both ways: an attach is half-closed (stdin done) while output still flows back.
    this.server = createServer({ allowHalfOpen: true }, (client) => {
      this.track(client);
      this.clients.add(client);
      client.on('end', () => this.clients.delete(client));
      client.on('close', () => this.clients.delete(client));
      if (this.hung) return void client.resume(); // read and dropped, never answered
      const upstream = connect({ path: this.target, allowHalfOpen: true });
      this.track(upstream);
      const relay: [Socket, Socket] = [client, upstream];
      this.relays.add(relay);
      client.on('close', () => this.relays.delete(relay));
      client.pipe(upstream);
      this.relayAnswers(client, upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.path, resolve));
  }

  /** From now on the engine answers nothing: open connections go silent, new ones are left waiting. */
  hang(): void {
    this.hung = true;
    for (const [client, upstream] of this.relays) {
      client.unpipe(upstream);
      client.resume(); // what the client sends is read and dropped
    }
  }

  /**
   * From now on exit waits are answered up to their headers (the waiter is registered) but never
   * report the exit; every other call is relayed as usual: an engine that takes a kill and is slow
   * to report the exit.
   */
  holdExitReports(): void {
    this.exitReportsHeld = true;
  }

  /** Relays the engine's answers to the client, minus what hang() and holdExitReports() withhold. */
  private relayAnswers(client: Socket, upstream: Socket): void {
    let exitWait = false;
    let headersPassed = false;
    client.once('data', (chunk: Buffer) => {
      exitWait = /^POST \S*\/containers\/[^/\s]+\/wait/.test(chunk.toString('latin1'));
      if (!exitWait || client.destroyed) return;
      this.exitWaits.add(client);
      // The client's end is enough (half-open: the engine's side stays open until it answers).
      client.on('end', () => this.exitWaits.delete(client));
      client.on('close', () => this.exitWaits.delete(client));
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.hung) return;
      if (exitWait && this.exitReportsHeld) {
        if (headersPassed) return;
        const end = chunk.indexOf('\r\n\r\n');
        if (end === -1) return void client.write(chunk);
        headersPassed = true;
        return void client.write(chunk.subarray(0, end + 4));
      }
      client.write(chunk);
    });
    upstream.on('end', () => {
      if (!this.hung && !(exitWait && this.exitReportsHeld)) client.end();
    });
  }

  /** Exit waits the client hasn't closed (or half-closed). */
  get openExitWaits(): number {
    return this.exitWaits.size;
  }

  /**
   * Connections the client hasn't closed. (A half-close counts as closed: an attach ends its
   * stdin that way while output still flows, so only count when no run is under way.)
   */
  get openConnections(): number {
    return this.clients.size;
  }

  /** Resets every open connection and stops accepting new ones. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(this.path, { force: true });
  }

  /** Docker is back: new connections are relayed again (after `kill()` the socket reappears). */
  async restore(): Promise<void> {
    this.hung = false;
    this.exitReportsHeld = false;
    if (!this.server) await this.start();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
  }
}
