import { afterEach, describe, expect, it } from 'vitest';
import { LABEL_REQUEST } from '../../sandbox/labels.js';
import type { SandboxRuntime } from '../../sandbox/limits.js';
import { SandboxRunner } from '../../sandbox/runner.js';
import { docker, eventually, leftovers, RecordingLog, settingsFor } from '../support/sandbox.js';

const runners: SandboxRunner[] = [];
function runnerWith(log: RecordingLog, runtime: SandboxRuntime, poolSize = 0): SandboxRunner {
  const runner = new SandboxRunner(docker, settingsFor(runtime, {}, { poolSize }), undefined, log);
  runner.startPool();
  runners.push(runner);
  return runner;
}

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.close();
});

describe('a run’s request id', () => {
  it('labels the container of a cold start', async () => {
    const runner = runnerWith(new RecordingLog(), 'runc');
    const requestId = `req-label-${process.pid}-${Date.now()}`;
    const labelled = () => docker.listContainers({ all: true, filters: { label: [`${LABEL_REQUEST}=${requestId}`] } });
    const running = runner.run({ code: 'import time\ntime.sleep(2)' }, { requestId });
    await eventually('a container labelled with the request id', async () => (await labelled()).length === 1);
    expect((await labelled())[0]!.Labels[LABEL_REQUEST]).toBe(requestId);
    expect((await running).status).toBe('ok');
  });

  it('is in the runner’s warning when the run fails', async () => {
    const log = new RecordingLog();
    const runner = runnerWith(log, 'kata' as SandboxRuntime);
    const result = await runner.run({ code: 'print(1)' }, { requestId: 'req-warned' });
    expect(result.status).toBe('sandbox_error');
    const warnings = log.lines.filter((line) => line.level === 'warn');
    expect(warnings).toEqual([
      { level: 'warn', message: 'could not start a sandbox', details: { request: 'req-warned', reason: result.reason } },
    ]);
  });

  it('is logged with the container of a pooled start, which was created before the request existed', async () => {
    const log = new RecordingLog();
    const runner = runnerWith(log, 'runc', 1);
    await runner.warmPool!.whenFull();
    const [member] = await leftovers(runner);
    await runner.run({ code: 'print(1)' }, { requestId: 'req-pooled' });
    expect(log.lines).toContainEqual({
      level: 'debug',
      message: 'a pre-started sandbox takes the run',
      details: { request: 'req-pooled', container: member },
    });
  });
});
