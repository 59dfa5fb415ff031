import { startRunnerService } from '/work/main/dist/src/service/start.js';
import { loadConfig } from '/work/main/dist/src/config.js';
import { createLogger } from '/work/main/dist/src/log.js';
import { openBotSandbox } from '/work/main/dist/src/sandbox.js';
const config = loadConfig();
const log = createLogger('silent');
const result = { status: 'ok', exitCode: 0, signal: null, output: '1\n', stdout: '1\n', stderr: '', outputBytes: 2, durationMs: 3, files: [], filesLeftOut: {}, python: '3.13.5' };
let t1, t2;
const ms = Number(process.env.MS ?? 2);
const fake = { ready: Promise.resolve({ ok: true }), run: async () => { t1 = performance.now(); if (ms) await new Promise((r) => setTimeout(r, ms)); t2 = performance.now(); return { ...result }; }, whenWarm: async () => {}, close: async () => {}, stats: { warm: 1, createFailures: 0, removeFailures: 0 } };
const local = { ...config, runner: { ...config.runner, host: '127.0.0.1', port: 0 } };
const service = await startRunnerService(local, log, { sandbox: fake });
const bot = openBotSandbox({ ...config, sandbox: { ...config.sandbox, runners: [service.url] } }, log);
await bot.ready;
const N = 1000;
const p50 = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(3);
const up = [], down = [];
for (let i = 0; i < N; i++) {
  const t0 = performance.now(); await bot.run({ code: 'print(1)' }); const t3 = performance.now();
  up.push(t1 - t0); down.push(t3 - t2);
}
console.log('ms', ms, 'to server', p50(up), 'back', p50(down));
await bot.close(); await service.close(); process.exit(0);
