import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../sandbox/result.js';
import { loadConfig } from '../../src/config.js';
import { CONSOLE } from '../../src/platforms.js';
import { runRequest } from '../../src/request.js';
import { makeEvaluator } from '../support/evaluator.js';
import { FakeSandbox } from '../support/fake-sandbox.js';

/** `end <status>` ends as that status; anything else runs fine. */
const sandbox = () => new FakeSandbox(({ code }) => ({ status: (/^end (\w+)/.exec(code)?.[1] ?? 'ok') as RunStatus }));

describe('Evaluator: who runs at low priority', () => {
  it('a user whose run ended at a quota runs at low priority until one of their runs ends by itself; others do not', async () => {
    const fake = sandbox();
    const evaluator = makeEvaluator(fake, loadConfig({}), { userRunsPerMinute: 100 });
    const run = (user: string, code: string) =>
      evaluator.evaluate(runRequest({ platform: 'console', user, channel: 'c', trigger: 'console' }, { kind: 'run', code }), CONSOLE);

    await run('abuser', 'end timeout');
    await run('abuser', 'end memory');
    await run('bystander', 'print(1)');
    await run('abuser', 'end error'); // a traceback is the program ending by itself
    await run('abuser', 'print(1)');
    expect(fake.options.map((options) => options.priority)).toEqual(['normal', 'low', 'normal', 'low', 'normal']);
  });

  it.each(['timeout', 'memory', 'output_limit', 'killed'] as const)('%s counts as a quota ending', async (status) => {
    const fake = sandbox();
    const evaluator = makeEvaluator(fake);
    const run = (code: string) =>
      evaluator.evaluate(runRequest({ platform: 'console', user: 'u', channel: 'c', trigger: 'console' }, { kind: 'run', code }), CONSOLE);

    await run(`end ${status}`);
    await run('print(1)');
    expect(fake.options.map((options) => options.priority)).toEqual(['normal', 'low']);
  });
});

describe('Evaluator under load', () => {
  it('many runs at once listen for the stop without a MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const fake = new FakeSandbox(async () => {
        await held;
        return {};
      });
      const evaluator = makeEvaluator(fake, loadConfig({ LIMIT_CONCURRENCY: '20' }));
      const replies = Array.from({ length: 20 }, (_, i) =>
        evaluator.evaluate(runRequest({ platform: 'console', user: `u${i}`, channel: 'c', trigger: 'console' }, { kind: 'run', code: 'print(1)' }), CONSOLE),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(fake.calls).toHaveLength(20); // all twenty are running, each listening
      release();
      await Promise.all(replies);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('Evaluator: which Python', () => {
  const asker = { platform: 'console', user: 'u', channel: 'c', trigger: 'console' } as const;

  it('runs the version asked for, and the reply says which it is of (the default when none was asked)', async () => {
    const fake = new FakeSandbox();
    const evaluator = makeEvaluator(fake);
    const chosen = await evaluator.evaluate(runRequest(asker, { kind: 'run', code: 'print(1)', python: '3.14' }), CONSOLE);
    const plain = await evaluator.evaluate(runRequest(asker, { kind: 'run', code: 'print(1)' }), CONSOLE);
    expect(fake.calls).toEqual([{ code: 'print(1)', python: '3.14' }, { code: 'print(1)' }]);
    expect([chosen.python, chosen.statusLine]).toEqual(['3.14', expect.stringMatching(/ · Python 3\.14\.0$/)]);
    expect([plain.python, plain.statusLine]).toEqual(['3.13', expect.stringMatching(/ · Python 3\.13\.0$/)]);
  });

  it('refuses a version not offered, naming those that are; the notice is of no Python', async () => {
    const fake = new FakeSandbox();
    const reply = await makeEvaluator(fake).evaluate(runRequest(asker, { kind: 'run', code: 'print(1)', python: '3.12' }), CONSOLE);
    expect(reply).toMatchObject({ kind: 'notice', text: "Not run: Python 3.12 isn't offered here: choose 3.13, 3.14 or 3.11 (3.13 is the default)." });
    expect(reply.python).toBeUndefined();
    expect(fake.calls).toEqual([]);
  });

  it('a custom image whose version is not named: nothing to choose, so the reply names no version to offer', async () => {
    const reply = await makeEvaluator(new FakeSandbox(), loadConfig({ SANDBOX_IMAGE: 'my/python' })).evaluate(runRequest(asker, { kind: 'run', code: 'print(1)' }), CONSOLE);
    expect(reply.kind).toBe('result');
    expect(reply.python).toBeUndefined();
  });
});

describe('Evaluator: a cancelled run', () => {
  const asker = { platform: 'console', user: 'u', channel: 'c', trigger: 'console' } as const;

  it('once running, answers with what the program printed before the cancel', async () => {
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    /** Prints "go", then runs until cancelled, and answers with its output as the real sandbox does. */
    class PrintsThenRuns extends FakeSandbox {
      override async run(...args: Parameters<FakeSandbox['run']>) {
        return { ...(await super.run(...args)), output: 'go\n', stdout: 'go\n' };
      }
    }
    const fake = new PrintsThenRuns(() => (started(), new Promise(() => {})));
    const cancel = new AbortController();
    const reply = makeEvaluator(fake).evaluate(runRequest(asker, { kind: 'run', code: 'print("go")' }), CONSOLE, { signal: cancel.signal });
    await running;
    cancel.abort();
    const { statusLine, text } = await reply;
    expect([statusLine, text]).toEqual(['🛑 cancelled', expect.stringContaining('go')]);
  });

  it('while it waits for its turn, is answered at once, and nothing runs', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const fake = new FakeSandbox(async () => (await held, {}));
    const evaluator = makeEvaluator(fake, loadConfig({ LIMIT_CONCURRENCY: '1' }));
    const first = evaluator.evaluate(runRequest({ ...asker, user: 'a' }, { kind: 'run', code: 'print(1)' }), CONSOLE);
    const cancel = new AbortController();
    const waiting = evaluator.evaluate(runRequest({ ...asker, user: 'b' }, { kind: 'run', code: 'print(2)' }), CONSOLE, { signal: cancel.signal });
    await new Promise((resolve) => setImmediate(resolve));
    cancel.abort();
    expect((await waiting).statusLine).toMatch(/cancelled/);
    release();
    await first;
    expect(fake.calls).toHaveLength(1);
  });
});
