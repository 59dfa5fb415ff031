import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL } from '../fakes/slack/index.js';
import { blockText, sleep, startSlackBot, WAIT_MS, type SlackBot } from './harness.js';

/** Edits are debounced for a second; waiting this long shows that nothing was re-run. */
const PAST_DEBOUNCE_MS = 1_500;

describe('Slack: replies follow their source message', () => {
  let bot: SlackBot;

  afterEach(async () => {
    await bot?.stop();
  });

  /** Mentions the bot with `code` and resolves the source's ts and the reply's ts. */
  async function answered(code: string): Promise<{ source: string; reply: string }> {
    const mention = bot.fake.payloads.appMention({ text: `\`\`\`${code}\`\`\`` });
    await bot.deliver(mention);
    const reply = await bot.posted(`ran ${code}`);
    return { source: String(mention.event.ts), reply: (reply.response as { ts: string }).ts };
  }

  it('an edit re-runs the code and updates the reply in place (bursts of edits run once)', async () => {
    bot = await startSlackBot();
    const { source, reply } = await answered('print(1)');
    const mention = `<@${bot.fake.team.botUserId}>`;
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: source, text: `${mention} \`\`\`print(2)\`\`\``, oldText: '' }));
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: source, text: `${mention} \`\`\`print(3)\`\`\``, oldText: '' }));

    const update = await bot.fake.waitForCall('chat.update', undefined, WAIT_MS);
    expect(update.args).toMatchObject({ channel: DEFAULT_CHANNEL, ts: reply });
    expect(blockText(update)).toContain('ran print(3)');
    expect(bot.fake.store.find(DEFAULT_CHANNEL, reply)?.text).toContain('ran print(3)');
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print(1)', 'print(3)']);
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a change that keeps the text (a thread reply arriving) re-runs nothing', async () => {
    bot = await startSlackBot();
    const { source } = await answered('print(1)');
    const text = `<@${bot.fake.team.botUserId}> \`\`\`print(1)\`\`\``;
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: source, text, oldText: text }));
    await sleep(PAST_DEBOUNCE_MS);
    expect(bot.sandbox.calls).toHaveLength(1);
    expect(bot.fake.callsTo('chat.update')).toEqual([]);
  });

  it('past the edit window, an edit changes nothing', async () => {
    bot = await startSlackBot({ env: { SLACK_EDIT_WINDOW_S: '0' } });
    const { source } = await answered('print(1)');
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: source, text: '```print(2)```', oldText: '' }));
    await sleep(PAST_DEBOUNCE_MS);
    expect(bot.sandbox.calls).toHaveLength(1);
    expect(bot.fake.callsTo('chat.update')).toEqual([]);
  });

  it('deleting the source deletes the reply', async () => {
    bot = await startSlackBot();
    const { source, reply } = await answered('print(1)');
    await bot.deliver(bot.fake.payloads.messageDeleted({ ts: source }));
    const deleted = await bot.fake.waitForCall('chat.delete', undefined, WAIT_MS);
    expect(deleted.args).toMatchObject({ channel: DEFAULT_CHANNEL, ts: reply });
    expect(bot.replies()).toEqual([]);
  });

  it('a source deleted while it has replies becomes a tombstone: the reply is deleted too', async () => {
    bot = await startSlackBot();
    const { source, reply } = await answered('print(1)');
    const tombstone = { type: 'message', subtype: 'tombstone', hidden: true, text: 'This message was deleted.', user: 'USLACKBOT', ts: source, thread_ts: source };
    await bot.deliver(
      bot.fake.payloads.eventCallback({
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: DEFAULT_CHANNEL,
        channel_type: 'channel',
        ts: `${Number(source) + 1}`,
        message: tombstone,
        previous_message: { type: 'message', user: bot.fake.team.userId, text: '```print(1)```', ts: source },
      }),
    );
    expect((await bot.fake.waitForCall('chat.delete', undefined, WAIT_MS)).args).toMatchObject({ ts: reply });
  });
});
