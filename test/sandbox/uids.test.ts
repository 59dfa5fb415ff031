import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_INSTANCE } from '../../sandbox/labels.js';
import { sandboxUids, UidRange } from '../../sandbox/uids.js';
import { docker, leftovers, makeRunner } from '../support/sandbox.js';

describe('UidRange', () => {
  it('hands out each uid once, walking the range from its start and wrapping around', () => {
    const range = new UidRange(1000, 4, 2);
    expect([range.acquire(), range.acquire(), range.acquire(), range.acquire()]).toEqual([1002, 1003, 1000, 1001]);
    expect(() => range.acquire()).toThrow('all 4 sandbox uids are held by live containers');
  });

  it('takes a uid back only when released, and hands it out again last', () => {
    const range = new UidRange(1000, 3, 0);
    const first = range.acquire();
    range.acquire();
    expect(range.holds(first)).toBe(true);
    range.release(first);
    expect(range.holds(first)).toBe(false);
    expect([range.acquire(), range.acquire()]).toEqual([1002, first]);
  });
});

describe('sandbox uids on the real engine', () => {
  const runner = makeRunner('runc', {}, { poolSize: 2 });

  /** The uid each of this runner's containers runs as, from Docker's own record. */
  async function containerUids(): Promise<number[]> {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${runner.instance.id}`] } });
    const users = await Promise.all(containers.map(async (c) => (await docker.getContainer(c.Id).inspect()).Config.User));
    return users.map((user) => Number(user.split(':')[0]));
  }

  beforeAll(async () => {
    await runner.warmPool?.whenFull();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('each pooled member holds a uid of its own while it waits', async () => {
    const uids = await containerUids();
    expect(uids).toHaveLength(2);
    expect(new Set(uids).size).toBe(2);
    for (const uid of uids) expect(sandboxUids.holds(uid)).toBe(true);
  });

  it('a run keeps its uid until its container is removed, and not a moment longer', async () => {
    const result = await runner.run({ code: 'import os\nprint(os.getuid(), os.getgid())' });
    expect(result.status).toBe('ok');
    const [uid, gid] = result.stdout.trim().split(' ').map(Number);
    expect(gid).toBe(uid);
    // The result is back; the container is being removed, and its uid is still taken.
    expect(sandboxUids.holds(uid!)).toBe(true);
    await runner.drain();
    expect(await containerUids()).not.toContain(uid);
    expect(sandboxUids.holds(uid!)).toBe(false);
  });
});
