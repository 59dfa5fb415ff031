import { afterAll, describe, expect, it } from 'vitest';
import { buildContainerSpec } from '../../sandbox/spec.js';
import { sandboxUids } from '../../sandbox/uids.js';
import { currentInstance, LABEL_INSTANCE, sandboxLabels, type Instance } from '../../sandbox/labels.js';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import { isOrphan, reapOrphans } from '../../sandbox/reaper.js';
import { DEFAULT_IMAGE, docker } from '../support/sandbox.js';

const self: Instance = { id: 'self', host: 'here', pid: 100 };
const future = Date.now() + 60_000;
const past = Date.now() - 1;
const alive = (pid: number) => pid === 200;

function labels(instance: Instance, deadline: number) {
  return sandboxLabels(instance, deadline);
}

describe('isOrphan', () => {
  it.each([
    ['our own, in time', labels(self, future), false],
    ['our own, past its deadline', labels(self, past), true],
    ['another live process on this host', labels({ id: 'x', host: 'here', pid: 200 }, future), false],
    ['a dead process on this host', labels({ id: 'x', host: 'here', pid: 300 }, future), true],
    ['an earlier incarnation with our pid', labels({ id: 'old', host: 'here', pid: 100 }, future), true],
    ['another host, in time', labels({ id: 'x', host: 'there', pid: 300 }, future), false],
    ['another host, past its deadline', labels({ id: 'x', host: 'there', pid: 300 }, past), true],
    ['no deadline label', { 'sandpiper.sandbox': '1' }, true],
  ])('%s → %s', (_, containerLabels, orphan) => {
    expect(isOrphan(containerLabels, self, Date.now(), alive)).toBe(orphan);
  });
});

describe('reapOrphans on the real engine', () => {
  const me = currentInstance();
  const created: string[] = [];

  async function createLabelled(owner: Instance, deadline: number): Promise<string> {
    const spec = buildContainerSpec({
      image: DEFAULT_IMAGE,
      runtime: 'runc',
      limits: DEFAULT_LIMITS,
      labels: sandboxLabels(owner, deadline),
      uid: sandboxUids.acquire(),
    });
    const container = await docker.createContainer(spec);
    created.push(container.id);
    return container.id;
  }

  afterAll(async () => {
    await Promise.all(created.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => {})));
  });

  it('removes created-never-started and running orphans, and leaves live ones alone', async () => {
    const deadPid = 2 ** 22 + 12345; // above pid_max: certainly not a live process
    const dead: Instance = { id: 'crashed-bot', host: me.host, pid: deadPid };
    const createdOrphan = await createLabelled(dead, Date.now() + 60_000);
    const runningOrphan = await createLabelled({ ...me, id: 'expired' }, Date.now() - 1000);
    await docker.getContainer(runningOrphan).start();
    const mine = await createLabelled(me, Date.now() + 60_000);

    const reaped = await reapOrphans(docker, me);
    expect(reaped).toBeGreaterThanOrEqual(2);
    const remaining = await docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}`] } });
    const ids = remaining.map((c) => c.Id);
    expect(ids).not.toContain(createdOrphan);
    expect(ids).not.toContain(runningOrphan);
    expect(ids).toContain(mine);
  });
});
