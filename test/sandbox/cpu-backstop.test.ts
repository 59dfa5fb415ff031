import { describe, expect, it } from 'vitest';
import { currentInstance, sandboxLabels } from '../../sandbox/labels.js';
import { createDemuxer } from '../../sandbox/output.js';
import { buildContainerSpec } from '../../sandbox/spec.js';
import { DEFAULT_IMAGE, docker, RUNTIMES, settingsFor } from '../support/sandbox.js';

/**
 * The CPU-seconds backstop (RLIMIT_CPU in sandbox/spec.ts) is for a run whose wall-clock kill never
 * came (the bot died mid-run): here the container runs with no runner watching it. A busy loop
 * prints the CPU time it has used, every 0.2 s of it. runc: the kernel ends it with SIGXCPU at the
 * soft limit. gVisor shows the limit (getrlimit) but never applies it, so the backstop is claimed
 * for runc only: under gVisor the program burns on past the hard limit, and only the wall clock
 * (and the reaper's deadline, after a crash) ends it.
 */
const LIMITS = { timeoutS: 1, cpus: 1 }; // RLIMIT_CPU: 2 s soft, 3 s hard
const BURN = [
  'import os, resource',
  'print("limit", resource.getrlimit(resource.RLIMIT_CPU), flush=True)',
  'mark = 0.0',
  'while True:',
  '    used = sum(os.times()[:2])',
  '    if used >= mark:',
  '        print(f"cpu {used:.1f}", flush=True)',
  '        mark = used + 0.2',
].join('\n');
/** A loaded 2-core host can leave a 1-CPU container a fifth of a core: 4+ s of CPU take 20+ s. */
const DEADLINE_MS = 45_000;

describe.each(RUNTIMES)('the CPU-seconds backstop on %s', (runtime) => {
  it(runtime === 'runc' ? 'kills a busy program at the soft limit' : 'is not applied: only the wall clock bounds a run', async () => {
    const labels = sandboxLabels(currentInstance(), Date.now() + DEADLINE_MS + 60_000);
    const spec = buildContainerSpec({ ...settingsFor(runtime, LIMITS), image: DEFAULT_IMAGE, labels, uid: 65534 });
    const container = await docker.createContainer({
      ...spec,
      Cmd: ['python3', '-c', BURN],
      OpenStdin: false,
      AttachStdin: false,
      StdinOnce: false,
    });
    try {
      const attach = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      let output = '';
      const cpu = () => Number(/cpu ([\d.]+)\n$/.exec(output)?.[1] ?? 0);
      const pastHardLimit = new Promise<'past the hard limit'>((resolve) => {
        attach.on(
          'data',
          createDemuxer((_, chunk) => {
            output += chunk.toString();
            if (cpu() >= 4) resolve('past the hard limit');
          }),
        );
      });
      const exited = container.wait({ condition: 'next-exit' }).then((r: { StatusCode: number }) => r.StatusCode);
      await container.start();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), DEADLINE_MS)));
      const outcome = await Promise.race([exited, pastHardLimit, deadline]).finally(() => clearTimeout(timer));
      expect(output).toMatch(/^limit \(2, 3\)\n/);
      if (runtime === 'runc') {
        expect(outcome).toBe(128 + 24); // SIGXCPU
        expect(cpu()).toBeLessThan(2);
      } else {
        expect(outcome).toBe('past the hard limit');
      }
    } finally {
      await container.remove({ force: true });
    }
  });
});
