import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerProxy } from '../support/docker-proxy.js';
import { eventually, leftovers, makeSandbox, RecordingLog } from '../support/sandbox.js';

// Not started yet: its socket doesn't exist, which is what a stopped Docker looks like.
const proxy = new DockerProxy(join(mkdtempSync(join(tmpdir(), 'sandpiper-down-')), 'docker.sock'));

describe('Docker down when the sandbox opens', () => {
  afterAll(() => proxy.kill());

  it('says so once, retries quietly, says once when Docker is back, and only then fills the pool', async () => {
    const log = new RecordingLog();
    const sandbox = makeSandbox(log, { connection: { socketPath: proxy.path }, retry: { minMs: 100, maxMs: 400 } }, { poolSize: 2 });
    try {
      expect(await sandbox.ready).toEqual({ ok: false, reason: expect.stringMatching(/^Docker is not reachable/) });

      // Meanwhile a run goes cold and fails clearly.
      const during = await sandbox.run({ code: 'print(1)' }, { requestId: 'req-during' });
      expect(during).toMatchObject({ status: 'sandbox_error', reason: expect.stringMatching(/^Docker is not reachable/) });

      await eventually('a few quiet retries', () => log.count('debug', 'the sandbox is not ready') >= 3, 5000);
      expect(log.count('error', 'the sandbox is not ready')).toBe(1);
      expect(log.count('warn', 'could not sweep for orphaned sandboxes')).toBe(1);
      expect(log.count('debug', 'could not sweep for orphaned sandboxes')).toBeGreaterThanOrEqual(3);
      // The pool waits for the image: no refills against an engine that isn't there.
      expect(log.lines.filter((line) => line.message.includes('refill'))).toEqual([]);

      await proxy.start();
      await sandbox.whenWarm(20_000);
      expect(await leftovers(sandbox)).toHaveLength(2);
      expect(log.count('info', 'Docker is reachable again')).toBe(1);
      expect(log.count('info', 'sweeping for orphaned sandboxes works again')).toBe(1);
      // Everything above debug, in order: the failure once, the one failed run, the recovery once.
      expect(log.lines.filter((line) => line.level !== 'debug').map((line) => `${line.level}: ${line.message}`)).toEqual([
        'warn: could not sweep for orphaned sandboxes',
        'error: the sandbox is not ready: runs will fail until this is fixed',
        'warn: could not start a sandbox',
        expect.stringMatching(/^info: (sweeping for orphaned sandboxes works again|Docker is reachable again)/),
        expect.stringMatching(/^info: (sweeping for orphaned sandboxes works again|Docker is reachable again)/),
      ]);
    } finally {
      await sandbox.close();
    }
    expect(await leftovers(sandbox)).toEqual([]);
  }, 60_000);
});
