import { describe, expect, it, onTestFinished } from 'vitest';
import type { FakeAttachment } from '../fakes/discord/types.js';
import { leftovers, makeRunner } from '../support/sandbox.js';
import { py, startHarness } from './harness.js';

/**
 * Files in and out on Discord, for real: fake Discord → the real discord.js client → Docker (runc)
 * → a reply whose attachments are what the program left.
 */

const PNG_MAGIC = '\x89PNG';
/** Plotting imports for a second or more, and more on a busy host: these tests are not about the time limit. */
const ROOMY = { timeoutS: 20 };

async function download(attachment: FakeAttachment | undefined): Promise<Buffer> {
  const response = await fetch(attachment?.url ?? 'http://127.0.0.1:9/missing');
  return Buffer.from(await response.arrayBuffer());
}

describe('files on Discord with the real sandbox', { timeout: 60_000 }, () => {
  it('a plot is posted as an image, with no savefig in the code', async () => {
    const runner = makeRunner('runc', ROOMY);
    onTestFinished(async () => {
      await runner.close();
      expect(await leftovers(runner)).toEqual([]);
    });
    const h = await startHarness({ sandbox: runner });
    const source = h.fake.sendMessage({ content: `!run ${py('import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()')}` });
    const reply = await h.replyTo(source, 30_000);
    expect(reply.content).toMatch(/^✅ done in .+\n```\n\[no output\]\n```$/);
    expect(reply.attachments.map((a) => a.filename)).toEqual(['figure-1.png']);
    expect((await download(reply.attachments[0])).subarray(0, 4).toString('latin1')).toBe(PNG_MAGIC);
  });

  it('a CSV attached to the message is read by the code; result.json comes back inline; an edit replaces the files', async () => {
    const runner = makeRunner('runc', ROOMY);
    onTestFinished(() => runner.close());
    const h = await startHarness({ sandbox: runner });
    const code = (extra: string) =>
      py(['import csv, json', 'rows = list(csv.DictReader(open("data.csv")))', 'total = sum(int(r["n"]) for r in rows)', extra].join('\n'));
    const source = h.fake.sendMessage({
      content: `!run ${code('json.dump({"total": total}, open("result.json", "w"))\nopen("big.txt", "w").write("x\\n" * 100)')}`,
      attachments: [{ name: 'data.csv', content: 'name,n\na,1\nb,2\n' }],
    });
    const reply = await h.replyTo(source, 30_000);
    expect(reply.content).toMatch(/^✅ done in /);
    expect(reply.content).toMatch(/\n📄 result\.json\n```\n\{"total": 3\}\n```$/);
    expect(reply.attachments.map((a) => a.filename)).toEqual(['big.txt']);

    // The re-run's reply has only its own files: no stale big.txt.
    const first = reply.content;
    h.fake.editMessage(source, { content: `!run ${code('print(total)')}` });
    const edited = await h.fake.waitFor(() => {
      const now = h.fake.state.messages.get(reply.id);
      return now && now.content !== first ? now : undefined;
    }, 30_000);
    expect(edited.content).toMatch(/^✅ done in .+\n```\n3\n```$/);
    expect(edited.attachments).toEqual([]);
  });

  it('an attachment over the limit refuses the run, saying which and why', async () => {
    const runner = makeRunner('runc', ROOMY);
    onTestFinished(() => runner.close());
    const h = await startHarness({ sandbox: runner, env: { SANDBOX_FILE_KB: '1' } });
    const source = h.fake.sendMessage({ content: `!run ${py('print(1)')}`, attachments: [{ name: 'big.csv', content: 'x'.repeat(2048) }] });
    const reply = await h.replyTo(source, 30_000);
    expect(reply.content).toBe('Not run: big.csv is 2 KiB, over the limit of 1 KiB per file.');
  });
});
