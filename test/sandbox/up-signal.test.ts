import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRunner } from '../../sandbox/runner.js';
import { docker, eventually, KILL_ALLOWANCE_MS, leftovers, makeRunner, poolFor, RUNTIME_MODES } from '../support/sandbox.js';

/**
 * The Docker engine, except that each sandbox's Python takes `seconds` longer to come up: its
 * loader sleeps first, as an interpreter starting beside CPU hogs on a small host does.
 */
function slowStarting(seconds: number): Docker {
  return new Proxy(docker, {
    get(engine, name, receiver) {
      if (name !== 'createContainer') return Reflect.get(engine, name, receiver);
      return (spec: Docker.ContainerCreateOptions) => {
        const cmd = [...spec.Cmd!];
        cmd[cmd.length - 1] = `import time; time.sleep(${seconds})\n${cmd.at(-1)}`;
        return engine.createContainer({ ...spec, Cmd: cmd });
      };
    },
  });
}

describe.each(RUNTIME_MODES)('the time limit counts from when Python is up, on %s (%s)', (runtime, mode) => {
  let runner: SandboxRunner;
  /** Pooled: a member as soon as it is started, long before its Python is up (not whenFull(), which waits for that). */
  const memberStarted = () => eventually('a started pool member', () => runner.warmPool!.readyCount > 0, 30_000);

  beforeAll(() => {
    runner = makeRunner(runtime, { timeoutS: 1 }, poolFor(mode), slowStarting(2));
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('a 1 s limit holds for a program whose Python took 2 s to come up, and its duration is its own', async () => {
    if (mode === 'pooled') await memberStarted();
    const started = Date.now();
    const result = await runner.run({ code: 'print(1)' });
    expect(result).toMatchObject({ status: 'ok', output: '1\n' });
    expect(result.durationMs).toBeLessThan(1000);
    if (mode === 'cold') expect(Date.now() - started).toBeGreaterThan(2000);
  });

  it('the limit still applies once it is up', async () => {
    if (mode === 'pooled') await memberStarted();
    const result = await runner.run({ code: 'import time\nprint("up", flush=True)\ntime.sleep(10)' });
    expect(result).toMatchObject({ status: 'timeout', output: 'up\n' });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(result.durationMs).toBeLessThan(3000);
  });
});

describe('a Python that never comes up', () => {
  const runner = makeRunner('runc', { timeoutS: 1 }, { launchTimeoutMs: 4000 }, slowStarting(30));

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('gets its time limit all the same once the launch timeout has passed', async () => {
    const started = Date.now();
    const result = await runner.run({ code: 'print(1)' });
    expect(result).toMatchObject({ status: 'timeout', output: '' });
    expect(result.durationMs).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    // Docker's start of it is within the launch timeout, and the kill within its allowance.
    expect(Date.now() - started).toBeLessThan(4000 + 4000 + 1000 + KILL_ALLOWANCE_MS);
  });
});

describe('a full pool', () => {
  it('is one whose members are up: whenFull() waits for their Python, and a run then takes only its own time', async () => {
    const runner = makeRunner('runc', {}, { poolSize: 1 }, slowStarting(2));
    try {
      const started = Date.now();
      await runner.warmPool!.whenFull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      const asked = Date.now();
      expect(await runner.run({ code: 'print(1)' })).toMatchObject({ status: 'ok', output: '1\n' });
      expect(Date.now() - asked).toBeLessThan(1000);
    } finally {
      await runner.close();
      expect(await leftovers(runner)).toEqual([]);
    }
  });
});
