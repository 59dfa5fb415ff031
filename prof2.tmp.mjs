import { startRunnerService } from '/work/main/dist/src/service/start.js';
import { loadConfig } from '/work/main/dist/src/config.js';
import { createLogger } from '/work/main/dist/src/log.js';
import { openBotSandbox } from '/work/main/dist/src/sandbox.js';
const config = loadConfig();
const log = createLogger('silent');
const result = { status: 'ok', exitCode: 0, signal: null, output: '1\n', stdout: '1\n', stderr: '', outputBytes: 2, durationMs: 3, files: [], filesLeftOut: {}, python: '3.13.5' };
const mode = process.env.MODE;
const wait = () => mode === 'busy' ? new Promise((r) => { const end = performance.now() + 2; const spin = () => performance.now() < end ? setImmediate(spin) : r(); spin(); }) : new Promise((r) => setTimeout(r, 2));
const fake = { ready: Promise.resolve({ ok: true }), run: async () => { await wait(); return { ...result }; }, whenWarm: async () => {}, close: async () => {}, stats: { warm: 1, createFailures: 0, removeFailures: 0 } };
const local = { ...config, runner: { ...config.runner, host: '127.0.0.1', port: 0 } };
const service = await startRunnerService(local, log, { sandbox: fake });
const bot = openBotSandbox({ ...config, sandbox: { ...config.sandbox, runners: [service.url] } }, log);
await bot.ready;
const N = 1000;
const p50 = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
const direct = [], http = [];
for (let i = 0; i < N; i++) {
  let t = performance.now(); await fake.run(); direct.push(performance.now() - t);
  t = performance.now(); await bot.run({ code: 'print(1)' }); http.push(performance.now() - t);
}
console.log(mode, 'direct', p50(direct).toFixed(3), 'http', p50(http).toFixed(3), 'added', (p50(http) - p50(direct)).toFixed(3));
await bot.close(); await service.close(); process.exit(0);
