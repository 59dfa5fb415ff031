import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL } from '../fakes/slack/index.js';
import { blockText, startSlackBot, WAIT_MS, type SlackBot } from './harness.js';

const LONG_OUTPUT = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');

describe('Slack replies', () => {
  let bot: SlackBot;

  afterEach(async () => {
    await bot?.stop();
  });

  it('escapes output so <!channel>, <!here>, <@U…> notify no one and & shows as &', async () => {
    bot = await startSlackBot({ run: () => ({ output: '<!channel> <!here> <@U123> a & b\n@here\n' }) });
    await bot.deliver(bot.fake.payloads.appMention({ text: '```print("ping")```' }));
    const reply = await bot.posted('done');
    const expected = '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; a &amp; b\n@here';
    for (const text of [String(reply.args.text), blockText(reply)]) {
      expect(text).toContain(expected);
      expect(text).not.toMatch(/<[!@]/);
    }
    // verbatim: Slack doesn't link-ify a plain @here, #channel or URL either.
    expect(reply.args.blocks).toMatchObject([{ text: { type: 'mrkdwn', verbatim: true } }]);
  });

  it('long output: a preview within a section block, the full output as output.txt in the same thread', async () => {
    bot = await startSlackBot({ run: () => ({ output: `${LONG_OUTPUT}\n` }) });
    const mention = bot.fake.payloads.appMention({ text: '```for i in range(500): print("line", i)```' });
    await bot.deliver(mention);

    const preview = await bot.posted('full output in output.txt');
    expect(blockText(preview).length).toBeLessThanOrEqual(3000);
    expect(blockText(preview)).toContain('line 0\nline 1\n');
    const complete = await bot.fake.waitForCall('files.completeUploadExternal', undefined, WAIT_MS);
    expect(complete.args).toMatchObject({ channel_id: DEFAULT_CHANNEL, thread_ts: mention.event.ts });
    const [file] = [...bot.fake.store.files.values()];
    expect(file).toMatchObject({ name: 'output.txt', completed: true });
    expect(file?.data?.toString('utf8')).toBe(`${LONG_OUTPUT}\n`);
  });

  it('when the upload fails, the preview stays, with a note saying the files are missing', async () => {
    bot = await startSlackBot({ run: () => ({ output: LONG_OUTPUT }) });
    bot.fake.failNext('files.getUploadURLExternal', 'not_allowed');
    await bot.deliver(bot.fake.payloads.appMention({ text: '```print("lots")```' }));

    const preview = await bot.posted('full output in output.txt');
    const noted = await bot.fake.waitForCall('chat.update', undefined, WAIT_MS);
    expect(noted.args).toMatchObject({ channel: DEFAULT_CHANNEL, ts: (preview.response as { ts: string }).ts });
    expect(blockText(noted)).toBe(blockText(preview));
    expect(JSON.stringify(noted.args.blocks)).toContain('The files could not be attached');
    expect(bot.logs.join('')).toContain('could not upload the files');
  });

  it('a ratelimited chat.postMessage is retried after Retry-After: the reply still arrives, and the limit is logged', async () => {
    bot = await startSlackBot();
    bot.fake.rateLimitNext('chat.postMessage', 1, 1);
    await bot.deliver(bot.fake.payloads.appMention({ text: '```print("patience")```' }));

    await bot.posted('ran print("patience")');
    expect(bot.fake.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
    expect(bot.logs.join('')).toMatch(/"method":"chat.postMessage","retryAfterS":1,.*rate-limited/);
  }, 15_000);

  it('/run where the bot is not in the channel: the result comes privately, with how to fix it', async () => {
    bot = await startSlackBot();
    bot.fake.failNext('chat.postMessage', 'not_in_channel');
    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ text: 'print("private")' }));

    const privately = await bot.fake.waitForCall('response_url', undefined, WAIT_MS);
    expect(privately.args).toMatchObject({ response_type: 'ephemeral' });
    const shown = JSON.stringify(privately.args.blocks);
    expect(shown).toContain("I'm not a member of this channel");
    expect(shown).toContain('/invite');
    expect(shown).toContain('ran print(\\"private\\")');
    expect(bot.replies()).toEqual([]);
  });

  it('never logs a token, even at debug level', async () => {
    bot = await startSlackBot();
    await bot.deliver(bot.fake.payloads.appMention({ text: '```print("x")```' }));
    await bot.posted('ran print("x")');
    const logs = bot.logs.join('');
    expect(logs).toContain('run finished');
    expect(logs).not.toContain(bot.fake.team.botToken);
    expect(logs).not.toContain(bot.fake.team.appToken);
  });
});
