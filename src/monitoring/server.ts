import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError } from 'fastify';
import { withDeadline } from '../../sandbox/deadline.js';
import type { MonitoringConfig } from '../config.js';
import type { Logger } from '../log.js';
import { sendProblem, statusProblem } from '../service/problem.js';
import { urlOf } from '../service/start.js';
import type { BotHealth } from './health.js';
import type { BotMetrics } from './metrics.js';

export interface MonitoringOptions {
  config: MonitoringConfig;
  health: () => Promise<BotHealth>;
  metrics: BotMetrics;
  log: Logger;
}

export interface MonitoringServer {
  /** Where it listens: `http://127.0.0.1:9464`. */
  url: string;
  /** Closes the server within a deadline; never rejects. */
  close(): Promise<void>;
}

const PATHS = ['/healthz', '/metrics'];
/** GET answers HEAD too (Fastify adds it); every other method is refused. */
const OTHER_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const CLOSE_MS = 5_000;

/**
 * The bot's monitoring server (MONITORING_PORT): GET /healthz, 200 when every adapter is connected
 * and code can run, 503 naming what is wrong otherwise; GET /metrics, Prometheus text. Nothing
 * else: it runs no code and asks no token.
 */
export async function startMonitoring({ config, health, metrics, log }: MonitoringOptions): Promise<MonitoringServer> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async (_request, reply) => {
    const report = await health();
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  for (const url of PATHS) {
    app.route({ method: [...OTHER_METHODS], url, handler: async (request, reply) => sendProblem(reply, statusProblem(405, `${request.method} ${url}: only GET is answered here`, { allow: 'GET' })) });
  }
  app.setNotFoundHandler((request, reply) => sendProblem(reply, statusProblem(404, `nothing at ${request.method} ${request.url}: this server answers GET /healthz and GET /metrics`)));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Fastify's own refusals (a malformed URL) keep their 4xx; anything else is ours.
    if (error.statusCode && error.statusCode < 500) return sendProblem(reply, statusProblem(error.statusCode, error.message));
    log.error({ err: error, url: request.url }, 'the monitoring server failed a request');
    return sendProblem(reply, statusProblem(500, "the monitoring server failed: see the bot's log"));
  });

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await withDeadline(app.close(), CLOSE_MS, 'the monitoring server did not close').catch(() => {});
    throw error;
  }
  const url = urlOf(app.server.address() as AddressInfo);
  log.info({ url }, 'monitoring: GET /healthz and GET /metrics are served');
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => (closing ??= withDeadline(app.close(), CLOSE_MS, 'the monitoring server did not close').catch(() => app.server.closeAllConnections())),
  };
}
