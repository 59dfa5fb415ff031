import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A Unix-socket relay in front of the real Docker socket. From the bot's side, `kill()` is what a
 * dying dockerd looks like (every connection reset, the socket refusing new ones), `hang()` is a
 * wedged one (connections accepted, nothing ever answered) and `restore()` is dockerd coming back,
 * without disturbing the real engine other tests are using.
 */
export class DockerProxy {
  private server: Server | null = null;
  private hung = false;
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
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.path, resolve));
  }

  /** From now on the engine answers nothing: open connections go silent, new ones are left waiting. */
  hang(): void {
    this.hung = true;
    for (const [client, upstream] of this.relays) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.resume(); // what the client sends is read and dropped
    }
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
    if (!this.server) await this.start();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
  }
}
