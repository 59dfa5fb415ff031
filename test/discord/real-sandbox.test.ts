import { describe, expect, it, onTestFinished } from 'vitest';
import { BUILT_IN_PYTHONS, leftovers, makeRunner } from '../support/sandbox.js';
import { buttonIds, py, startHarness } from './harness.js';

/** The whole path once for real: fake Discord → adapter → evaluator → Docker (runc) → reply. */

describe('discord with the real sandbox', { timeout: 60_000 }, () => {
  it('answers a prefix message with the output of the code, run in Docker', async () => {
    const runner = makeRunner('runc');
    onTestFinished(() => runner.close());
    const h = await startHarness({ sandbox: runner });
    const source = h.fake.sendMessage({ content: `!run ${py('print(6*7)')}` });
    const reply = await h.replyTo(source, 30_000);
    expect(reply.content).toMatch(/^✅ done in \d+\.\d\d s( \(ran \d+\.\d\d s\))? · Python 3\.13\.\d+\n```\n42\n```$/);
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

  it('"Run in 3.14" re-runs in Python 3.14, and the reply says the version sys.version says', async () => {
    const runner = makeRunner('runc', {}, { pythons: BUILT_IN_PYTHONS });
    onTestFinished(() => runner.close());
    const h = await startHarness({ sandbox: runner });
    const source = h.fake.sendMessage({ content: `!run ${py('import sys; print(sys.version.split()[0])')}` });
    const reply = await h.replyTo(source, 30_000);
    const said = (content: string) => /· Python (\S+)\n```\n(\S+)\n```$/.exec(content)?.slice(1);
    const [first, printed] = said(reply.content) ?? [];
    expect(first).toMatch(/^3\.13\.\d+$/);
    expect(printed).toBe(first);

    const pressed = h.fake.buttonClick({ customId: buttonIds(reply)[1]!, message: reply.id }); // Run in 3.14
    await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${pressed.token}/messages/@original` }, 30_000);
    const [second, printedAgain] = said(h.fake.state.messages.get(reply.id)!.content) ?? [];
    expect(second).toMatch(/^3\.14\.\d+$/);
    expect(printedAgain).toBe(second);
    await runner.drain();
    expect(await leftovers(runner)).toEqual([]);
  });
});
