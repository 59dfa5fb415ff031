import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_INSTANCE } from '../../sandbox/labels.js';
import { isOrphan } from '../../sandbox/reaper.js';
import { SandboxRunner } from '../../sandbox/runner.js';
import { DockerProxy } from '../support/docker-proxy.js';
import { docker, leftovers, RecordingLog, settingsFor } from '../support/sandbox.js';

const proxy = new DockerProxy(join(mkdtempSync(join(tmpdir(), 'sandpiper-proxy-')), 'docker.sock'));
const client = new Docker({ socketPath: proxy.path });

describe('Docker going away in the middle of runs', () => {
  const log = new RecordingLog();
  const runner = new SandboxRunner(client, settingsFor('runc', { timeoutS: 3 }, { poolSize: 2 }), undefined, log);
  runner.startPool();

  afterAll(async () => {
    await runner.close();
    await Promise.all((await leftovers(runner)).map((id) => docker.getContainer(id).remove({ force: true })));
    await proxy.kill();
  });

  it('answers in-flight runs with sandbox_error within timeout + a few seconds, then recovers by itself', async () => {
    await proxy.start();
    await runner.warmPool!.whenFull();

    const inFlight = [1, 2, 3].map((i) => runner.run({ code: `import time\nprint(${i}, flush=True)\ntime.sleep(2)` }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedAt = Date.now();
    const linesBefore = log.lines.length;
    await proxy.kill();

    const results = await Promise.all(inFlight);
    expect(Date.now() - killedAt).toBeLessThan(3000 + 5000);
    for (const result of results) {
      expect(result.status).toBe('sandbox_error');
      // Depending on how far each run got: during its start, or while it ran.
      expect(result.reason).toMatch(/the sandbox failed during the run, so its output was lost|lost the connection to Docker/);
    }

    // While Docker is away: a clear answer at once, not a hang.
    const during = await runner.run({ code: 'print("hello")' });
    expect(during.status).toBe('sandbox_error');
    expect(during.reason).toMatch(/Docker is not reachable/);

    // Long enough away for the pool's backed-off refills to fail more than once (250, 500 ms, …).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killedAt + 2000 - Date.now())));
    // Docker is back: the next runs work and the pool refills, with nothing restarted by hand.
    await proxy.restore();
    const after = await runner.run({ code: 'print("back")' });
    expect(after).toMatchObject({ status: 'ok', output: 'back\n' });
    await runner.warmPool!.whenFull(35_000);
    // The pool retried its refills all through the outage: said once when it began, once when it ended.
    expect(log.count('debug', 'could not refill the sandbox pool', linesBefore)).toBeGreaterThanOrEqual(1);
    expect(log.count('warn', 'could not refill the sandbox pool', linesBefore)).toBe(1);
    expect(log.count('info', 'Docker is reachable again: the sandbox pool refills', linesBefore)).toBe(1);
  }, 60_000);

  it('removes what it could not remove during the outage soon after Docker is back, or leaves it to the reaper', async () => {
    await runner.close();
    // Sandboxes running when the connection died could not be removed then: the runner retries.
    for (let i = 0; i < 100 && (await leftovers(runner)).length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // A container whose creation reply was lost with the connection is unknown to the runner; its
    // labels still let the reaper remove it once its deadline passes (at most idle age + slack).
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${runner.instance.id}`] } });
    const afterDeadlines = Date.now() + 7 * 60_000;
    for (const container of left) expect(isOrphan(container.Labels, runner.instance, afterDeadlines)).toBe(true);
    expect(left.length).toBeLessThanOrEqual(1);
  }, 30_000);
});
