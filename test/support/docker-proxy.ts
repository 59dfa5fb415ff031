import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A Unix-socket relay in front of the real Docker socket. From the bot's side, `kill()` is what a
 * dying dockerd looks like (every connection reset, the socket refusing new ones) and `restore()`
 * is dockerd coming back, without disturbing the real engine other tests are using.
 */
export class DockerProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  async start(): Promise<void> {
    rmSync(this.path, { force: true });
    // Half-open both ways: an attach is half-closed (stdin done) while output still flows back.
    this.server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = connect({ path: this.target, allowHalfOpen: true });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.path, resolve));
  }

  /** Resets every open connection and stops accepting new ones. */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(this.path, { force: true });
  }

  async restore(): Promise<void> {
    await this.start();
  }
}
