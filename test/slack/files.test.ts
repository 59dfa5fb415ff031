import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL } from '../fakes/slack/index.js';
import { leftovers, makeRunner } from '../support/sandbox.js';
import { startSlackBot, WAIT_MS, type SlackBot } from './harness.js';

/**
 * Files out on Slack, for real: fake Slack → the real Bolt app → Docker (runc) → a reply whose
 * thread carries the files the program left; a re-run replaces them.
 */
describe('Slack files with the real sandbox', () => {
  const runner = makeRunner('runc');
  let bot: SlackBot;

  afterEach(async () => {
    await bot?.stop();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('a plot is uploaded into the reply’s thread; an edit deletes it and uploads the new run’s files', async () => {
    bot = await startSlackBot({ sandbox: runner });
    const code = 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()';
    const mention = bot.fake.payloads.appMention({ text: `\`\`\`${code}\`\`\`` });
    await bot.deliver(mention);
    const upload = await bot.fake.waitForCall('files.completeUploadExternal', undefined, 30_000);
    const posted = bot.fake.callsTo('chat.postMessage')[0];
    const replyTs = (posted?.response as { ts: string }).ts;
    expect(upload.args).toMatchObject({ channel_id: DEFAULT_CHANNEL, thread_ts: mention.event.ts });
    const plots = [...bot.fake.store.files.values()];
    expect(plots.map((file) => file.name)).toEqual(['figure-1.png']);
    expect(plots[0]?.data?.subarray(1, 4).toString()).toBe('PNG');

    const edited = 'open("table.csv", "w").write("a,b\\n" * 200)';
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: String(mention.event.ts), text: `<@${bot.fake.team.botUserId}> \`\`\`${edited}\`\`\``, oldText: '' }));
    await bot.fake.waitForCall('files.delete', undefined, 30_000);
    await bot.fake.waitForCall('files.completeUploadExternal', (call) => bot.fake.callsTo('files.completeUploadExternal').indexOf(call) === 1, WAIT_MS);
    expect([...bot.fake.store.files.values()].map((file) => file.name)).toEqual(['table.csv']);
    expect(bot.fake.store.find(DEFAULT_CHANNEL, replyTs)?.text).toMatch(/^✅ done in /);
  });
});
