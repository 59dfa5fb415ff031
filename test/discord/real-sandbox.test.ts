import { describe, expect, it, onTestFinished } from 'vitest';
import { leftovers, makeRunner } from '../support/sandbox.js';
import { py, startHarness } from './harness.js';

/** The whole path once for real: fake Discord → adapter → evaluator → Docker (runc) → reply. */

describe('discord with the real sandbox', { timeout: 60_000 }, () => {
  it('answers a prefix message with the output of the code, run in Docker', async () => {
    const runner = makeRunner('runc');
    onTestFinished(() => runner.close());
    const h = await startHarness({ sandbox: runner });
    const source = h.fake.sendMessage({ content: `!run ${py('print(6*7)')}` });
    const reply = await h.replyTo(source, 30_000);
    expect(reply.content).toMatch(/^✅ done in \d+\.\d\d s( \(ran \d+\.\d\d s\))?\n```\n42\n```$/);
    await runner.drain();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('answers !timeit with timeit’s summary line, the first block being the setup', async () => {
    const runner = makeRunner('runc', { timeoutS: 20 }); // timeit's repeats: ~1.5 s of CPU, more on a busy host
    onTestFinished(() => runner.close());
    const h = await startHarness({ sandbox: runner });
    const source = h.fake.sendMessage({ content: `!timeit ${py('numbers = list(range(100))')}\n${py('print("hidden"); sum(numbers)')}` });
    const reply = await h.replyTo(source, 30_000);
    expect(reply.content).toMatch(/^✅ done in .+\n```\n\d+ loops?, best of \d+: [\d.]+ (nsec|usec|msec|sec) per loop\n```$/);
  });
});
