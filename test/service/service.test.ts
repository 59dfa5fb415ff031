import { afterEach, describe, expect, it } from 'vitest';
import type { RunInput } from '../../sandbox/request.js';
import type { RunResult } from '../../sandbox/result.js';
import type { SandboxStats } from '../../src/sandbox.js';
import { bodyLimitFor } from '../../src/service/app.js';
import type { RunnerService } from '../../src/service/start.js';
import { FakeSandbox, printedStrings } from '../support/fake-sandbox.js';
import { b64, call, postJson, serviceConfig, startService } from '../support/runner-service.js';

const TOKEN = 'a-test-token-0123456789';
let services: RunnerService[] = [];

async function serve(sandbox: FakeSandbox, env: Record<string, string> = {}): Promise<string> {
  const service = await startService(sandbox, env);
  services.push(service);
  return service.url;
}

afterEach(async () => {
  await Promise.all(services.map((service) => service.close()));
  services = [];
});

/** A fake whose runs stay open until released, to fill the slots and the queue. */
function heldSandbox() {
  const releases: (() => void)[] = [];
  const sandbox = new FakeSandbox((input) => new Promise<Partial<RunResult>>((resolve) => releases.push(() => resolve(printedStrings(input)))));
  return { sandbox, releaseAll: () => releases.splice(0).forEach((release) => release()), held: () => releases.length };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 200) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('auth (RUNNER_TOKEN)', () => {
  it('needs the bearer token on every endpoint but /healthz: 401 without it or with a wrong one', async () => {
    const url = await serve(new FakeSandbox(), { RUNNER_TOKEN: TOKEN });
    const eval_ = (headers: Record<string, string>) => postJson(`${url}/eval`, { input: "print('hi')" }, headers);
    const refused = await eval_({});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(refused.body).toEqual({ title: '401 Unauthorized', description: 'this runner needs its token: Authorization: Bearer <RUNNER_TOKEN>' });
    expect((await eval_({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await eval_({ authorization: `Bearer ${TOKEN.slice(0, -1)}` })).status).toBe(401);
    expect((await eval_({ authorization: TOKEN })).status).toBe(401);
    expect((await call(`${url}/metrics`)).status).toBe(401);
    expect((await postJson(`${url}/v1/runs`, { code: '' })).status).toBe(401);
    const allowed = await eval_({ authorization: `Bearer ${TOKEN}` });
    expect([allowed.status, allowed.body.stdout]).toEqual([200, 'hi\n']);
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('without RUNNER_TOKEN, loopback needs none', async () => {
    const url = await serve(new FakeSandbox());
    expect((await postJson(`${url}/eval`, { input: 'pass' })).status).toBe(200);
  });
});

describe('overload and limits', () => {
  it('runs LIMIT_CONCURRENCY at once, queues LIMIT_QUEUE, and answers 429 with Retry-After past that', async () => {
    const { sandbox, releaseAll, held } = heldSandbox();
    const url = await serve(sandbox, { LIMIT_CONCURRENCY: '2', LIMIT_QUEUE: '1', SANDBOX_TIMEOUT_S: '5' });
    const admitted = [1, 2, 3].map((n) => postJson(`${url}/eval`, { input: `print('${n}')` }));
    await until('two runs held', () => held() === 2);
    const busy = await postJson(`${url}/eval`, { input: "print('4')" });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('6'); // the run timeout plus start-up
    expect(busy.body).toEqual({ title: '429 Too Many Requests', description: 'every sandbox is busy (2 at once) and the queue is full (1 waiting): try again in 6 s' });
    expect((await postJson(`${url}/v1/runs`, { code: '' })).status).toBe(429);
    releaseAll();
    await until('the queued run held', () => held() === 1);
    releaseAll();
    expect((await Promise.all(admitted)).map((answer) => answer.body.stdout)).toEqual(['1\n', '2\n', '3\n']);
    const next = postJson(`${url}/eval`, { input: "print('5')" }); // room again
    await until('the next run held', () => held() === 1);
    releaseAll();
    expect((await next).status).toBe(200);
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const env = { SANDBOX_FILES_TOTAL_KB: '64', SANDBOX_MAX_CODE_KB: '8' };
    const limit = bodyLimitFor(serviceConfig(env).sandbox);
    expect(limit).toBe(4 * Math.ceil((64 * 1024) / 3) + 6 * 8 * 1024 + 64 * 1024);
    const sandbox = new FakeSandbox();
    const url = await serve(sandbox, env);
    const answer = await postJson(`${url}/eval`, { args: ['main.py'], files: [{ path: 'big.bin', content: 'A'.repeat(limit) }] });
    expect(answer.status).toBe(413);
    expect(answer.body.title).toBe('Request body too large');
    expect(answer.body.description).toMatch(/over this runner's limit of 198 KiB/);
    expect(sandbox.calls).toEqual([]);
  });

  it('refuses code over SANDBOX_MAX_CODE_KB and files over the limits (400), running nothing', async () => {
    const sandbox = new FakeSandbox();
    const url = await serve(sandbox, { SANDBOX_MAX_CODE_KB: '1', SANDBOX_FILE_KB: '1' });
    const code = await postJson(`${url}/eval`, { input: 'x' .repeat(2000) });
    expect(code.body).toEqual({ title: 'Request is over a limit', description: 'the code is 2 KiB, over the 1 KiB limit' });
    const file = await postJson(`${url}/v1/runs`, { code: 'pass', files: [{ name: 'a.bin', content: b64('x'.repeat(2000)) }] });
    expect([file.status, file.body]).toEqual([400, { title: 'Request file is invalid', description: 'a.bin is 2 KiB, over the limit of 1 KiB per file' }]);
    expect(sandbox.calls).toEqual([]);
  });
});

describe('a client that hangs up', () => {
  it('gives up its run: a waiting one leaves the queue at once, a running one is killed', async () => {
    const sandbox = new FakeSandbox((input) => (input.code === 'hold' ? new Promise(() => {}) : printedStrings(input)));
    const url = await serve(sandbox, { LIMIT_CONCURRENCY: '1', LIMIT_QUEUE: '1' });
    const post = (code: string, signal: AbortSignal) =>
      fetch(`${url}/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), signal });
    const [running, waiting] = [new AbortController(), new AbortController()];
    const first = post('hold', running.signal);
    await until('the first run started', () => sandbox.calls.length === 1);
    const second = post("print('never')", waiting.signal);
    const waitingRuns = async () => Number(/\nsandpiper_queue_length (\d+)\n/.exec((await call(`${url}/metrics`)).body)?.[1]);
    await expect.poll(waitingRuns).toBe(1);
    waiting.abort();
    await expect(second).rejects.toThrow();
    await expect.poll(waitingRuns).toBe(0); // its place is free at once
    running.abort();
    await expect(first).rejects.toThrow();
    await until('the running one cancelled', () => sandbox.options[0]?.signal?.aborted === true);
    // The slot is free again, and the queued run's turn ran nothing.
    expect((await postJson(`${url}/v1/runs`, { code: "print('next')" })).body.output).toBe('next\n');
    expect(sandbox.calls.map((input) => input.code)).toEqual(['hold', "print('next')"]);
  });
});

describe("the engine's work after a run", () => {
  it('waits for the reply: the sandbox hears the result was delivered once the client has it', async () => {
    let deliveredBeforeAnswer: boolean | undefined;
    let delivered = false;
    const sandbox = new FakeSandbox();
    const run = sandbox.run.bind(sandbox);
    sandbox.run = async (input, options = {}) => {
      void options.delivered?.then(() => (delivered = true));
      const result = await run(input, options);
      await new Promise((resolve) => setTimeout(resolve, 20));
      deliveredBeforeAnswer = delivered;
      return result;
    };
    const url = await serve(sandbox);
    expect((await postJson(`${url}/v1/runs`, { code: 'pass' })).status).toBe(200);
    expect(deliveredBeforeAnswer).toBe(false);
    await until('the delivery reported', () => delivered);
  });
});

describe('draining (a stop)', () => {
  it('answers new requests 503 while an admitted run still finishes, then closes', async () => {
    const { sandbox, releaseAll, held } = heldSandbox();
    const service = await startService(sandbox);
    const inFlight = postJson(`${service.url}/eval`, { input: "print('finished')" });
    await until('the run held', () => held() === 1);
    const closed = service.close();
    const refused = await postJson(`${service.url}/eval`, { input: 'pass' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('6');
    expect(refused.body.title).toBe('503 Service Unavailable');
    const health = await call(`${service.url}/healthz`);
    expect([health.status, health.body]).toEqual([503, { status: 'unavailable', reason: 'the runner is stopping' }]);
    releaseAll();
    expect((await inFlight).body).toEqual({ stdout: 'finished\n', returncode: 0, files: [] });
    await closed;
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
  });

  it('cancels runs still going when the drain runs out of time, answering them 503', async () => {
    const { sandbox, held } = heldSandbox();
    const service = await startService(sandbox, { SANDBOX_TIMEOUT_S: '0.1' }); // drains for 0.1 s + 5 s
    const inFlight = postJson(`${service.url}/eval`, { input: 'pass' });
    await until('the run held', () => held() === 1);
    const started = Date.now();
    await service.close();
    expect(Date.now() - started).toBeLessThan(8_000);
    expect((await inFlight).status).toBe(503);
  }, 15_000);
});

describe('GET /healthz', () => {
  it('is ok while a pre-started sandbox waits, without running anything', async () => {
    const sandbox = Object.assign(new FakeSandbox(), { stats: { warm: 2, createFailures: 0, removeFailures: 0 } satisfies SandboxStats });
    const url = await serve(sandbox);
    const answer = await call(`${url}/healthz`);
    expect([answer.status, answer.body]).toEqual([200, { status: 'ok', warm: 2 }]);
    expect(sandbox.calls).toEqual([]);
  });

  it('otherwise runs one probe (print) and trusts its success for a while', async () => {
    const sandbox = new FakeSandbox();
    const url = await serve(sandbox);
    const answers = await Promise.all([call(`${url}/healthz`), call(`${url}/healthz`)]);
    expect(answers.map(({ status, body }) => [status, body])).toEqual([
      [200, { status: 'ok', warm: 0, probedAgoS: 0 }],
      [200, { status: 'ok', warm: 0, probedAgoS: 0 }],
    ]);
    await call(`${url}/healthz`);
    expect(sandbox.calls).toEqual([{ code: "print('ok')" }]); // one probe, shared, then remembered
  });

  it('is 503 with the reason when the probe fails', async () => {
    const url = await serve(new FakeSandbox(() => ({ status: 'sandbox_error', reason: 'Docker is not running' })));
    const answer = await call(`${url}/healthz`);
    expect([answer.status, answer.body]).toEqual([503, { status: 'unavailable', reason: 'Docker is not running' }]);
  });
});

describe('POST /v1/runs', () => {
  it('answers the RunResult as eval --json prints it', async () => {
    const sandbox = new FakeSandbox((input: RunInput) => ({ output: `${input.stdin}`, files: [{ name: 'out.txt', bytes: new Uint8Array(Buffer.from('hi')) }] }));
    const url = await serve(sandbox);
    const body = { code: 'print(input())', stdin: 'Ada', python: '3.14', timeit: { setup: 'x = 1' }, files: [{ name: 'in.txt', content: b64('data') }] };
    const answer = await postJson(`${url}/v1/runs`, body);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'ok', exitCode: 0, signal: null, output: 'Ada', stdout: 'Ada', stderr: '', outputBytes: 3, durationMs: 12,
      files: [{ name: 'out.txt', size: 2, content: b64('hi') }], filesLeftOut: {}, python: '3.14.0',
    });
    expect(sandbox.calls).toEqual([{ code: 'print(input())', stdin: 'Ada', python: '3.14', timeit: { setup: 'x = 1' }, files: [{ name: 'in.txt', bytes: new Uint8Array(Buffer.from('data')) }] }]);
  });

  it('refuses bad input with a clear 400', async () => {
    const url = await serve(new FakeSandbox());
    const cases: [unknown, object][] = [
      [{ code: 'pass', python: '3.12' }, { title: 'Request data failed validation', description: "Python 3.12 isn't offered here: choose 3.13, 3.14 or 3.11 (3.13 is the default)" }],
      [{}, { title: 'Request data failed validation', description: 'code: Invalid input: expected string, received undefined' }],
      [{ code: 'pass', setup: 'x' }, { title: 'Request data failed validation', description: 'Unrecognized key: "setup"' }],
      [{ code: 'pass', files: [{ name: 'a', content: '%%' }] }, { title: 'Request file is invalid', description: 'the content of "a" is not base64' }],
      [{ code: 'pass', files: [{ name: '../a', content: '' }] }, { title: 'Request file is invalid', description: '"../a" can\'t be a file name here: use a plain name (or folder/name), with no part starting with a dot' }],
    ];
    for (const [body, expected] of cases) {
      const answer = await postJson(`${url}/v1/runs`, body);
      expect([answer.status, answer.body], JSON.stringify(body)).toEqual([400, expected]);
    }
  });
});

describe('GET /metrics', () => {
  it('counts runs by status, Python and runtime, with durations, queue, pool and Docker failures', async () => {
    const sandbox = Object.assign(new FakeSandbox((input) => (input.argv?.[1] === 'boom' ? { status: 'error', exitCode: 1 } : {})), {
      stats: { warm: 3, createFailures: 2, removeFailures: 5 } satisfies SandboxStats,
    });
    const url = await serve(sandbox);
    await postJson(`${url}/eval`, { input: 'pass' });
    await postJson(`${url}/eval`, { input: 'pass' });
    await postJson(`${url}/eval`, { input: 'boom' });
    const answer = await call(`${url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.body as string;
    expect(text).toContain('sandpiper_runs_total{status="ok",python="3.13.0",runtime="runc"} 2');
    expect(text).toContain('sandpiper_runs_total{status="error",python="3.13.0",runtime="runc"} 1');
    expect(text).toContain('sandpiper_run_duration_seconds_count 3');
    expect(text).toContain('sandpiper_queue_length 0');
    expect(text).toContain('sandpiper_runs_in_progress 0');
    expect(text).toContain('sandpiper_warm_sandboxes 3');
    expect(text).toContain('sandpiper_container_create_failures_total 2');
    expect(text).toContain('sandpiper_container_remove_failures_total 5');
    expect(text).toContain('process_cpu_seconds_total'); // prom-client's default metrics
    sandbox.stats.removeFailures = 6;
    expect((await call(`${url}/metrics`)).body).toContain('sandpiper_container_remove_failures_total 6');
  });
});
