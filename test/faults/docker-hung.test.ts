import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureImage } from '../../sandbox/image/ensure.js';
import { currentInstance } from '../../sandbox/labels.js';
import { reapOrphans } from '../../sandbox/reaper.js';
import { DockerProxy } from '../support/docker-proxy.js';
import { DEFAULT_IMAGE, docker, eventually, leftovers, makeRunner, makeSandbox, RecordingLog } from '../support/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'sandpiper-hung-'));
const proxies: DockerProxy[] = [];

/** A relay to the real engine, already started. */
async function relay(name: string): Promise<DockerProxy> {
  const proxy = new DockerProxy(join(dir, `${name}.sock`));
  proxies.push(proxy);
  await proxy.start();
  return proxy;
}

/** How long `promise` took to settle, and how (never longer than `limitMs`: then it is 'hung'). */
async function settleWithin(promise: Promise<unknown>, limitMs: number): Promise<{ ms: number; outcome: string }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    promise.then(
      () => 'resolved',
      (error: unknown) => `rejected: ${(error as Error).message}`,
    ),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hung'), limitMs))),
  ]);
  clearTimeout(timer);
  return { ms: Date.now() - started, outcome };
}

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.kill()));
});

describe('a Docker engine that accepts connections and never answers', () => {
  it('does not hang the start-up calls: the orphan sweep and the image check give up', async () => {
    const proxy = await relay('calls');
    proxy.hang();
    const client = new Docker({ socketPath: proxy.path });
    const [reap, image] = await Promise.all([
      settleWithin(reapOrphans(client, currentInstance()), 15_000),
      settleWithin(ensureImage(client, DEFAULT_IMAGE, () => {}, true), 15_000),
    ]);
    expect(reap.outcome).toMatch(/^rejected: Docker did not list/);
    expect(image.outcome).toMatch(/^rejected: Docker did not answer/);
  }, 40_000);

  it('start-up settles and close() returns in bounded time, and no connection to it stays open', async () => {
    const proxy = await relay('startup');
    proxy.hang();
    const log = new RecordingLog();
    const sandbox = makeSandbox(log, { connection: { socketPath: proxy.path } }, { poolSize: 2 });
    const ready = await settleWithin(sandbox.ready, 15_000);
    expect(ready.outcome).toBe('resolved');
    expect(await sandbox.ready).toEqual({ ok: false, reason: expect.stringMatching(/is the Docker engine hung or overloaded/) });
    expect((await settleWithin(sandbox.close(), 15_000)).outcome).toBe('resolved');
    // Requests a wedged engine never answers would keep the bot's process alive after close().
    await eventually('every connection to the hung engine to be closed', () => proxy.openConnections === 0, 2000);
  }, 40_000);

  it('close() gives up on an engine that wedges with sandboxes up, and says what it left for the reaper', async () => {
    const proxy = await relay('wedged');
    const log = new RecordingLog();
    const sandbox = makeSandbox(log, { connection: { socketPath: proxy.path } }, { poolSize: 2 });
    try {
      await sandbox.whenWarm();
      const members = await leftovers(sandbox);
      expect(members).toHaveLength(2);
      proxy.hang();

      const closed = await settleWithin(sandbox.close(), 15_000);
      expect(closed.outcome).toBe('resolved');
      const left = log.lines.filter((line) => line.message.includes('the reaper will remove the rest'));
      expect(left).toHaveLength(1);
      expect(left[0]).toMatchObject({ level: 'warn', details: { containers: expect.arrayContaining(members) } });
      await eventually('every connection to the hung engine to be closed', () => proxy.openConnections === 0, 2000);
    } finally {
      await Promise.all((await leftovers(sandbox)).map((id) => docker.getContainer(id).remove({ force: true }).catch(() => {})));
    }
  }, 60_000);
});

describe('a Docker engine that takes the kill but is slow to report the exit', () => {
  // Seen under gVisor on a busy host: a sandbox full of processes took many seconds to die after
  // the SIGKILL for its timeout, longer than we wait for Docker to report an exit.
  it('the run still reads as the timeout it was, and nothing of it is left behind', async () => {
    const proxy = await relay('slow-exit');
    const runner = makeRunner('runc', { timeoutS: 1 }, {}, new Docker({ socketPath: proxy.path }));
    try {
      proxy.holdExitReports();
      const result = await runner.run({ code: 'print("looping", flush=True)\nwhile True:\n    pass' });
      expect(result).toMatchObject({ status: 'timeout', signal: 'SIGKILL', output: 'looping\n' });
      await runner.close();
      expect(await leftovers(runner)).toEqual([]);
      // We close the exit wait ourselves rather than leave it to an engine that may never answer.
      await eventually('the exit wait to be closed', () => proxy.openExitWaits === 0, 2000);
    } finally {
      await Promise.all((await leftovers(runner)).map((id) => docker.getContainer(id).remove({ force: true }).catch(() => {})));
    }
  }, 60_000);
});
