import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { PLATFORM_PROFILES } from '../../src/platforms.js';
import type { Reply } from '../../src/reply.js';
import { RemoteSandbox } from '../../src/service/remote-sandbox.js';
import { makeEvaluator } from '../support/evaluator.js';

/**
 * Two runner services, each a process of its own; one is killed (SIGKILL) in the middle of 200
 * requests from 20 users. Every request gets exactly one reply, no code runs twice, and the dead
 * runner gets no run until its /healthz says it is back.
 */

const FAKE_RUNNER = fileURLToPath(new URL('../support/fake-runner.mjs', import.meta.url));
const TOKEN = 'a-runner-token-of-some-length';
const USERS = 20;
const EACH = 10;

interface RunnerProcess {
  url: string;
  /** The code of every run it started, in order. */
  started: string[];
  child: ChildProcess;
}

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill('SIGKILL')));

function startRunner(port = 0): Promise<RunnerProcess> {
  const child = spawn(process.execPath, [FAKE_RUNNER, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const started: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the runner exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('started ')) started.push(line.slice('started '.length));
      else if (line.startsWith('listening ')) resolve({ url: line.slice('listening '.length), started, child });
    });
  });
}

/** What stands on a dead runner's port: /healthz says it is down, and every run sent to it is counted. */
async function standIn(port: number): Promise<{ runsSent: () => number; close(): Promise<void> }> {
  let runsSent = 0;
  const server: Server = createServer((request, response) => {
    if (request.method === 'POST') runsSent++;
    response.writeHead(503, { 'content-type': 'application/json', connection: 'close' }).end('{"status":"unavailable","reason":"still down"}');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { runsSent: () => runsSent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const portOf = (url: string) => Number(new URL(url).port);

describe('a runner killed during 200 requests from 20 users', { timeout: 60_000 }, () => {
  it('answers every request exactly once, runs nothing twice, and avoids the dead runner until it is back', async () => {
    const [a, b] = [await startRunner(), await startRunner()];
    const sandbox = new RemoteSandbox({ runners: [a.url, b.url], token: TOKEN, runMs: 10_000, recheckMs: 100 });
    expect(await sandbox.ready).toEqual({ ok: true });
    // The bot's own pipeline and limits, with room for 20 users' runs at once.
    const evaluator = makeEvaluator(sandbox, loadConfig({ LIMIT_CONCURRENCY: '20', LIMIT_USER_RUNS_PER_MINUTE: '100' }));
    const replies = new Map<string, Reply[]>();
    let answered = 0;
    let killed: Promise<{ runsSent: () => number; close(): Promise<void> }> | undefined;

    const user = async (u: number) => {
      for (let r = 0; r < EACH; r++) {
        const code = `print("u${u}-r${r}")`;
        const request = { id: `u${u}-r${r}`, platform: 'console' as const, user: `user${u}`, channel: 'c', trigger: 'message' as const, code };
        const reply = await evaluator.evaluate(request, PLATFORM_PROFILES.console);
        replies.set(code, [...(replies.get(code) ?? []), reply]);
        if (++answered === 60) {
          a.child.kill('SIGKILL');
          // Once the bot has seen it fail, a stand-in takes its port, to count what is still sent there.
          killed = new Promise((resolve) => a.child.once('exit', resolve))
            .then(() => expect.poll(() => sandbox.states()[0]!.up).toBe(false))
            .then(() => standIn(portOf(a.url)));
        }
      }
    };
    await Promise.all(Array.from({ length: USERS }, (_, u) => user(u)));
    const dead = await killed!;

    // Every request: exactly one reply.
    expect(replies.size).toBe(USERS * EACH);
    expect([...replies.values()].every((each) => each.length === 1)).toBe(true);
    // No code started twice, across both runners.
    const startedAll = [...a.started, ...b.started];
    expect(new Set(startedAll).size).toBe(startedAll.length);
    // A reply is the run's output, or says the runner died under it (the run may have started
    // there, so it is not tried again elsewhere).
    const lost: string[] = [];
    for (const [code, [reply]] of replies) {
      const printed = /print\("(.*)"\)/.exec(code)![1]!;
      if (reply!.text.split('\n').includes(printed)) {
        expect(startedAll).toContain(code);
        continue;
      }
      expect(reply!.text).toContain(`the runner ${a.url} failed during the run, so its output was lost`);
      lost.push(code);
    }
    expect(lost.filter((code) => b.started.includes(code))).toEqual([]);
    expect(lost.length).toBeLessThanOrEqual(USERS);
    expect(a.started.length).toBeGreaterThan(0);
    // While A was dead, not one run was sent to it; B took them all.
    expect(dead.runsSent()).toBe(0);
    expect(sandbox.states().find((state) => state.url === a.url)).toMatchObject({ up: false, reason: 'still down' });

    // A comes back on its port: once its /healthz answers, it gets runs again.
    await dead.close();
    const back = await startRunner(portOf(a.url));
    await expect.poll(() => sandbox.states().every((state) => state.up), { timeout: 5_000 }).toBe(true);
    const more = await Promise.all(
      Array.from({ length: USERS }, (_, u) =>
        evaluator.evaluate({ id: `again-${u}`, platform: 'console', user: `user${u}`, channel: 'c', trigger: 'message', code: `print("again-${u}")` }, PLATFORM_PROFILES.console),
      ),
    );
    expect(more.every((reply, u) => reply.text.split('\n').includes(`again-${u}`))).toBe(true);
    expect(back.started.length).toBeGreaterThan(0);
    await evaluator.close();
    await sandbox.close();
  });
});
