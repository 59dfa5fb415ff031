// A runner service (the built `sandpiper runner` code, real HTTP) in a process of its own, on a
// stand-in sandbox, so a test can kill it outright (SIGKILL). Each run prints "started <code>" on
// stdout before it "runs" (100–250 ms) and prints the strings of the code's print("…") calls.
// Usage: node fake-runner.mjs <port> (0 = any free port); prints "listening <url>" once ready.
import { writeSync } from 'node:fs';
import { loadConfig } from '../../dist/src/config.js';
import { createLogger } from '../../dist/src/log.js';
import { startRunnerService } from '../../dist/src/service/start.js';

const PROBE = "print('ok')";

const sandbox = {
  ready: Promise.resolve({ ok: true }),
  async close() {},
  async run(input, options = {}) {
    if (input.code !== PROBE) writeSync(1, `started ${input.code}\n`); // before anything can be lost
    const output = [...input.code.matchAll(/print\((["'])(.*?)\1\)/g)].map((match) => `${match[2]}\n`).join('');
    const cancelled = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), input.code === PROBE ? 0 : 100 + Math.random() * 150);
      options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve(true)), { once: true });
    });
    return {
      status: cancelled ? 'cancelled' : 'ok',
      exitCode: cancelled ? null : 0,
      signal: cancelled ? 'SIGKILL' : null,
      output,
      stdout: output,
      stderr: '',
      outputBytes: Buffer.byteLength(output),
      durationMs: 12,
      files: [],
      filesLeftOut: {},
      python: '3.13.0',
    };
  },
};

const config = loadConfig({ RUNNER_HOST: '127.0.0.1', RUNNER_PORT: process.argv[2] ?? '0', RUNNER_TOKEN: 'a-runner-token-of-some-length', LIMIT_CONCURRENCY: '50' });
const service = await startRunnerService(config, createLogger('silent'), { sandbox });
writeSync(1, `listening ${service.url}\n`);
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
