import type { AddressInfo } from 'node:net';
import { ConfigError, type Config } from '../config.js';
import type { Logger } from '../log.js';
import { openSandbox } from '../sandbox.js';
import { buildRunnerApp } from './app.js';
import { isLoopbackHost } from './auth.js';
import type { ServiceSandbox } from './health.js';

export interface RunnerService {
  /** Where it listens: `http://127.0.0.1:8060`. */
  url: string;
  /** Drains (in-flight runs finish, new requests get 503), closes the server, then the sandbox; bounded. */
  close(): Promise<void>;
}

export interface RunnerServiceOptions {
  /** The sandbox to run in, which the service then owns (close() closes it); by default the configured Docker sandbox. */
  sandbox?: ServiceSandbox;
}

/**
 * Starts `sandpiper runner`: opens the sandbox as `start` does (orphans reaped, images confirmed,
 * pool), then listens on RUNNER_HOST:RUNNER_PORT. Refuses, before opening anything, to listen
 * beyond loopback without RUNNER_TOKEN: whoever reaches the port could run code.
 */
export async function startRunnerService(config: Config, log: Logger, options: RunnerServiceOptions = {}): Promise<RunnerService> {
  const { host, port, token } = config.runner;
  if (!token && !isLoopbackHost(host)) {
    throw new ConfigError(
      `RUNNER_HOST=${host} is not a loopback address, and without RUNNER_TOKEN anyone who reaches it could run code: ` +
        'set RUNNER_TOKEN (openssl rand -hex 32 makes one), or listen on 127.0.0.1',
    );
  }
  const sandbox = options.sandbox ?? openSandbox(config.sandbox, log);
  // Not ready (Docker down, an image missing) is logged by the sandbox, and /healthz says why.
  await sandbox.ready;
  const { app, stop } = buildRunnerApp({ sandbox, config, log });
  try {
    await app.listen({ host, port });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const url = urlOf(app.server.address() as AddressInfo);
  log.info({ url, auth: token ? 'bearer token' : 'none' }, 'the runner service is listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        log.info('the runner service is stopping');
        await stop();
        await sandbox.close();
        log.info('the runner service stopped');
      })()),
  };
}

/** A listening server's address as a URL: `http://127.0.0.1:8060`, `http://[::1]:8060`. */
export function urlOf({ address, family, port }: AddressInfo): string {
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}
