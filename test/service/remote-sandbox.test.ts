import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunInput } from '../../sandbox/request.js';
import { RemoteSandbox } from '../../src/service/remote-sandbox.js';
import type { RunnerService } from '../../src/service/start.js';
import { runCli } from '../support/cli.js';
import { FakeSandbox, printedStrings, type FakeRun } from '../support/fake-sandbox.js';
import { startService } from '../support/runner-service.js';

/**
 * The bot without a Docker engine (SANDBOX_RUNNERS): runs go over HTTP to runner services, here
 * real ones (`startRunnerService`, real HTTP) on fake sandboxes.
 */

const TOKEN = 'a-runner-token-of-some-length';
const started: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.close()));
});

/** The runner's own health probe (a print, when RemoteSandbox asks /healthz) is answered as a sandbox would. */
const PROBE = "print('ok')";
const userRuns = (sandbox: FakeSandbox) => sandbox.calls.filter((call) => call.code !== PROBE);

async function runner(handler: FakeRun = printedStrings, env: Record<string, string> = {}): Promise<{ service: RunnerService; sandbox: FakeSandbox }> {
  const sandbox = new FakeSandbox((input) => (input.code === PROBE ? printedStrings(input) : handler(input)));
  const service = await startService(sandbox, { RUNNER_TOKEN: TOKEN, ...env });
  started.push(service);
  return { service, sandbox };
}

/** A port nothing listens on: connections are refused. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A "runner" that takes a run's request and then drops the connection: the run may have started there. */
async function droppingRunner(): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    if (request.method !== 'POST') return void response.writeHead(200).end('{"status":"ok"}'); // its /healthz
    requests++;
    request.resume().on('end', () => request.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  started.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

const remote = (runners: string[], token: string | undefined = TOKEN) => new RemoteSandbox({ runners, token, runMs: 5_000 });

describe('RemoteSandbox', { timeout: 20_000 }, () => {
  it('runs on a runner and brings the whole result back: output, files, the Python that ran', async () => {
    const { service, sandbox } = await runner((input) => ({
      output: 'hi\n',
      files: [{ name: 'out/data.bin', bytes: new Uint8Array([0, 255]) }],
      python: `${input.python ?? '3.13'}.5`,
    }));
    const sandboxes = remote([service.url]);
    expect(await sandboxes.ready).toEqual({ ok: true });
    const input: RunInput = { code: 'print("hi")', stdin: 'x', python: '3.14', timeit: { setup: 'y = 1' }, files: [{ name: 'a.csv', bytes: Buffer.from('1,2') }] };
    const result = await sandboxes.run(input);
    expect(result).toMatchObject({ status: 'ok', output: 'hi\n', python: '3.14.5' });
    expect(result.files).toEqual([{ name: 'out/data.bin', bytes: new Uint8Array([0, 255]) }]);
    const [sent] = userRuns(sandbox);
    expect(sent).toMatchObject({ code: 'print("hi")', stdin: 'x', python: '3.14', timeit: { setup: 'y = 1' } });
    expect(sent!.files!.map(({ name, bytes }) => [name, Buffer.from(bytes).toString()])).toEqual([['a.csv', '1,2']]);
  });

  it('sends each run to the runner with the fewest runs outstanding', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = await runner(async (input) => (input.code === 'hold' ? (await held, {}) : {}));
    const b = await runner();
    const sandboxes = remote([a.service.url, b.service.url]);
    const holding = sandboxes.run({ code: 'hold' });
    await expect.poll(() => userRuns(a.sandbox).length).toBe(1);
    for (let i = 0; i < 3; i++) expect((await sandboxes.run({ code: `print("${i}")` })).output).toBe(`${i}\n`);
    expect(userRuns(b.sandbox).map((call) => call.code)).toEqual(['print("0")', 'print("1")', 'print("2")']);
    release();
    expect((await holding).status).toBe('ok');
  });

  it('goes around a runner that refuses connections, and one that is busy (429): nothing ran there', async () => {
    const busy = await runner(async () => new Promise(() => {}), { LIMIT_CONCURRENCY: '1', LIMIT_QUEUE: '0' });
    const live = await runner();
    const sandboxes = remote([await closedPort(), busy.service.url, live.service.url]);
    void sandboxes.run({ code: 'print("stuck")' }); // takes the busy runner's only place
    await expect.poll(() => userRuns(busy.sandbox).length).toBe(1);
    const result = await sandboxes.run({ code: 'print("ok")' });
    expect(result).toMatchObject({ status: 'ok', output: 'ok\n' });
    expect(userRuns(live.sandbox)).toHaveLength(1);
  });

  it('never runs code twice: a runner that fails after taking the request is not retried elsewhere', async () => {
    const dropping = await droppingRunner();
    const other = await runner();
    const sandboxes = remote([dropping.url, other.service.url]);
    const result = await sandboxes.run({ code: 'print(1)' });
    expect(result.status).toBe('sandbox_error');
    expect(result.reason).toMatch(new RegExp(`^the runner ${dropping.url} failed during the run, so its output was lost`));
    expect(dropping.requests()).toBe(1);
    expect(userRuns(other.sandbox)).toEqual([]);
    // It is left out until its /healthz answers again: the next run goes to the other runner.
    expect(sandboxes.states()[0]).toMatchObject({ up: false, reason: expect.stringMatching(/^it failed during a run/) });
    expect((await sandboxes.run({ code: 'print("next")' })).output).toBe('next\n');
    expect(dropping.requests()).toBe(1);
  });

  it('says why when no runner can take a run, and is not ready then', async () => {
    const [first, second] = [await closedPort(), await closedPort()];
    const sandboxes = remote([first, second]);
    expect(await sandboxes.ready).toEqual({
      ok: false,
      reason: `no runner is ready: ${first}: unreachable (ECONNREFUSED); ${second}: unreachable (ECONNREFUSED)`,
    });
    expect(sandboxes.states()).toEqual([
      { url: first, up: false, outstanding: 0, reason: 'unreachable (ECONNREFUSED)' },
      { url: second, up: false, outstanding: 0, reason: 'unreachable (ECONNREFUSED)' },
    ]);
    const result = await sandboxes.run({ code: 'print(1)' });
    expect(result).toMatchObject({ status: 'sandbox_error' });
    expect(result.reason).toBe(
      `no runner could take the run (${first}: unreachable (ECONNREFUSED); ${second}: unreachable (ECONNREFUSED)): check SANDBOX_RUNNERS and that the runners are up`,
    );
  });

  it('sends RUNNER_TOKEN, and says so when the runner refuses it', async () => {
    const { service } = await runner();
    expect((await remote([service.url]).run({ code: 'print("in")' })).output).toBe('in\n');
    const refused = await remote([service.url], 'not-the-right-token-at-all').run({ code: 'print(1)' });
    expect(refused.reason).toBe(`the runner ${service.url} refused the token: set RUNNER_TOKEN to the runners' token`);
  });

  it('cancels a run when asked, as a local sandbox does', async () => {
    const { service } = await runner(async () => new Promise(() => {}));
    const controller = new AbortController();
    const running = remote([service.url]).run({ code: 'print(1)' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect((await running).status).toBe('cancelled');
  });
});

describe('the bot with SANDBOX_RUNNERS and no Docker engine', { timeout: 30_000 }, () => {
  it('answers in the terminal chat through a runner, with DOCKER_HOST pointing nowhere', async () => {
    const { service, sandbox } = await runner();
    const run = await runCli(['start'], {
      stdin: '/run print("from a runner")',
      env: { SANDBOX_RUNNERS: service.url, RUNNER_TOKEN: TOKEN, DOCKER_HOST: 'unix:///nowhere/docker.sock' },
    });
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^✅ done in [\d.]+ s · Python 3\.13\.0\nfrom a runner\n$/);
    expect(userRuns(sandbox)).toEqual([{ code: 'print("from a runner")' }]);
  });
});

describe('sandpiper doctor with SANDBOX_RUNNERS', { timeout: 30_000 }, () => {
  it('checks each runner instead of a Docker engine: ready, and a trivial run on it', async () => {
    const { service } = await runner();
    const down = await closedPort();
    const run = await runCli(['doctor'], {
      env: { SANDBOX_RUNNERS: `${service.url},${down}`, RUNNER_TOKEN: TOKEN, DOCKER_HOST: 'unix:///nowhere/docker.sock' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✔ the runner ${service.url} is ready: a trivial run works in Python 3.13.0, 12 ms\n`);
    expect(run.stdout).toContain(`✖ the runner ${down} is not ready\n    fix: no runner is ready: ${down}: unreachable (ECONNREFUSED)\n`);
    expect(run.stdout).not.toContain('Docker');
    expect(run.stdout).toMatch(/1 problem\(s\) found\n$/);
  });
});
