import { afterAll, describe, expect, it } from 'vitest';
import { LABEL_REQUEST } from '../../sandbox/labels.js';
import { LOW_PRIORITY_CPU_SHARES, NORMAL_CPU_SHARES } from '../../sandbox/spec.js';
import { docker, eventually, leftovers, makeRunner } from '../support/sandbox.js';

describe('a low-priority run', () => {
  const runner = makeRunner('runc', {}, { poolSize: 1 });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('starts a sandbox of its own with a lower CPU weight, and leaves the pre-started one to others', async () => {
    await runner.warmPool!.whenFull();
    const [member] = await leftovers(runner);
    const requestId = `req-low-${process.pid}-${Date.now()}`;
    const labelled = () => docker.listContainers({ all: true, filters: { label: [`${LABEL_REQUEST}=${requestId}`] } });
    const running = runner.run({ code: 'import time\ntime.sleep(1)' }, { requestId, priority: 'low' });
    // Only a cold start carries the request id: a pool member was made before the request.
    await eventually('a sandbox of its own', async () => (await labelled()).length === 1);
    const [own] = await labelled();
    expect((await docker.getContainer(own!.Id).inspect()).HostConfig.CpuShares).toBe(LOW_PRIORITY_CPU_SHARES);
    expect((await running).status).toBe('ok');
    expect(await leftovers(runner)).toContain(member);
    expect((await docker.getContainer(member!).inspect()).HostConfig.CpuShares).toBe(NORMAL_CPU_SHARES);
  });
});

describe('low-priority runs', () => {
  const runner = makeRunner('runc', {}, { poolSize: 0 });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('take turns: two started together run one after the other', async () => {
    const code = 'import time\nprint(time.time())\ntime.sleep(1)\nprint(time.time())';
    const results = await Promise.all([runner.run({ code }, { priority: 'low' }), runner.run({ code }, { priority: 'low' })]);
    const spans = results.map((result) => {
      expect(result.status).toBe('ok');
      return result.stdout.trim().split('\n').map(Number) as [number, number];
    });
    spans.sort((a, b) => a[0] - b[0]);
    expect(spans[1]![0]).toBeGreaterThanOrEqual(spans[0]![1]); // the second began after the first ended
  });
});
