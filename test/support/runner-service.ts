import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { ServiceSandbox } from '../../src/service/health.js';
import { startRunnerService, type RunnerService } from '../../src/service/start.js';

/** The configuration from `env` (no process environment), listening on a free port of 127.0.0.1. */
export function serviceConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ RUNNER_HOST: '127.0.0.1', RUNNER_PORT: '0', ...env });
}

/** The runner service on `sandbox`, listening on 127.0.0.1 at a free port; logs kept quiet. */
export function startService(sandbox: ServiceSandbox, env: Record<string, string> = {}): Promise<RunnerService> {
  return startRunnerService(serviceConfig(env), createLogger('silent'), { sandbox });
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test checks the shape it expects
  body: any;
}

/** A request over real HTTP (Node's fetch); a JSON answer is parsed, anything else kept as text. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text };
}

/** POSTs `body` as JSON. */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export const b64 = (text: string) => Buffer.from(text).toString('base64');
