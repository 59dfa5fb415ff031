import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL, DEFAULT_DM } from '../fakes/slack/index.js';
import { blockText, sleep, startSlackBot, WAIT_MS, type SlackBot } from './harness.js';

// Every trigger, in Socket Mode, through the real Bolt App and the real Evaluator.
describe('Slack triggers (Socket Mode)', () => {
  let bot: SlackBot;

  afterEach(async () => {
    await bot?.stop();
  });

  it('a mention with a Python block runs it and replies in the thread, with the hourglass while running', async () => {
    bot = await startSlackBot();
    const mention = bot.fake.payloads.appMention({ text: 'please run\n```py\nprint(6*7)\n```' });
    await bot.deliver(mention);

    const reply = await bot.posted('ran print(6*7)');
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print(6*7)']);
    expect(reply.args).toMatchObject({
      channel: DEFAULT_CHANNEL,
      thread_ts: mention.event.ts,
      // The Web API client form-encodes arguments: booleans arrive as strings.
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    expect(blockText(reply)).toBe(reply.args.text);
    expect(reply.args.text).toMatch(/^✅ done in .+\n```\nran print\(6\*7\)\n```$/);

    const hourglass = { channel: DEFAULT_CHANNEL, timestamp: mention.event.ts, name: 'hourglass_flowing_sand' };
    expect((await bot.fake.waitForCall('reactions.add')).args).toMatchObject(hourglass);
    expect((await bot.fake.waitForCall('reactions.remove')).args).toMatchObject(hourglass);
    const order = bot.fake.calls.map((call) => call.method).filter((method) => /reactions|postMessage/.test(method));
    expect(order).toEqual(['reactions.add', 'reactions.remove', 'chat.postMessage']);
  });

  it('a refused run gets its refusal and never the hourglass', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    bot = await startSlackBot({ env: { LIMIT_USER_QUEUE: '0' }, run: async ({ code }) => (await held, { output: `ran ${code}\n` }) });
    const first = bot.fake.payloads.appMention({ text: '```print(1)```' });
    await bot.deliver(first);
    await bot.fake.waitForCall('reactions.add');
    const second = bot.fake.payloads.appMention({ text: '```print(2)```' });
    await bot.deliver(second);
    expect(blockText(await bot.posted('Slow down'))).toContain('you already have runs waiting');
    release();
    await bot.posted('ran print(1)');
    const hourglassed = bot.fake.callsTo('reactions.add').map((call) => call.args.timestamp);
    expect(hourglassed).toEqual([first.event.ts]);
  });

  it('a mention inside a thread replies in that thread', async () => {
    bot = await startSlackBot();
    const parent = bot.fake.store.add(DEFAULT_CHANNEL, { user: bot.fake.team.userId, text: 'a question' });
    const mention = bot.fake.payloads.appMention({ text: '```print("in thread")```', threadTs: parent.ts });
    await bot.deliver(mention);
    expect((await bot.posted('ran print("in thread")')).args.thread_ts).toBe(parent.ts);
  });

  it('a DM with a Python block runs without a mention; a DM without code gets a how-to', async () => {
    bot = await startSlackBot();
    const dm = bot.fake.payloads.dmMessage({ text: '```\nprint("dm")\n```' });
    await bot.deliver(dm);
    expect((await bot.posted('ran print("dm")')).args).toMatchObject({ channel: DEFAULT_DM, thread_ts: dm.event.ts });

    await bot.deliver(bot.fake.payloads.dmMessage({ text: 'hello there' }));
    expect(blockText(await bot.posted('No code found'))).toContain('Put your code in a block');
    expect(bot.sandbox.calls).toHaveLength(1);
  });

  it('a channel message that does not mention the bot runs nothing', async () => {
    bot = await startSlackBot();
    await bot.deliver(bot.fake.payloads.channelMessage({ text: '```print("not for you")```' }));
    // A later mention is answered: the plain message before it was seen and passed over.
    await bot.deliver(bot.fake.payloads.appMention({ text: '```print("for you")```' }));
    await bot.posted('ran print("for you")');
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print("for you")']);
  });

  it('/run is acked at once, then its result is posted in the channel for everyone', async () => {
    bot = await startSlackBot({ run: async ({ code }) => (await sleep(500), { output: `ran ${code}\n` }) });
    // As Slack sends it: & < > arrive as entities.
    const command = bot.fake.payloads.slashCommand({ text: 'print(1 &lt; 2 and 3 &gt; 2)' });
    const sent = Date.now();
    const envelope = bot.fake.sendCommand(command);
    const ack = await bot.fake.waitForAck(envelope.envelope_id);
    expect(ack.at - sent).toBeLessThan(3000);

    const reply = await bot.posted('ran print(1 &lt; 2 and 3 &gt; 2)');
    expect(ack.at).toBeLessThan(reply.at); // acked before the (half-second) run ended
    expect(bot.sandbox.calls[0]?.code).toBe('print(1 < 2 and 3 > 2)');
    expect(reply.args.channel).toBe(DEFAULT_CHANNEL);
    expect(reply.args.thread_ts).toBeUndefined();
    expect(JSON.stringify(reply.args.blocks)).toContain(`Requested by <@${bot.fake.team.userId}> with \`/run\``);
  });

  it('/run takes a fenced block too; /run with nothing to run answers only the asker', async () => {
    bot = await startSlackBot();
    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ text: '```python\nprint("fenced")\n```' }));
    await bot.posted('ran print("fenced")');

    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ text: '   ' }));
    const privately = await bot.fake.waitForCall('response_url', undefined, WAIT_MS);
    expect(privately.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(privately.args.text)).toContain('That code is empty');
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('/timeit times its text, posted like /run: of several blocks, the first is the setup', async () => {
    bot = await startSlackBot({ run: ({ code, timeit }) => ({ output: timeit ? `timed ${code} after ${JSON.stringify(timeit.setup)}\n` : `ran ${code}\n` }) });
    const blocks = bot.fake.payloads.slashCommand({ command: '/timeit', text: '```py\nx = [3, 1, 2]\n```\n```py\nsorted(x, key=lambda v: v &lt; 2)\n```' });
    await bot.fake.waitForAck(bot.fake.sendCommand(blocks).envelope_id);
    const reply = await bot.posted('timed sorted');
    expect(reply.args).toMatchObject({ channel: DEFAULT_CHANNEL });
    expect(JSON.stringify(reply.args.blocks)).toContain(`Requested by <@${bot.fake.team.userId}> with \`/timeit\``);

    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ command: '/timeit', text: 'sum(range(100))' }));
    await bot.posted('timed sum(range(100))');
    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ text: '```py\nx = 1\n```\n```py\nprint(x)\n```' }));
    await bot.posted('ran x = 1');
    expect(bot.sandbox.calls).toEqual([
      { code: 'sorted(x, key=lambda v: v < 2)', timeit: { setup: 'x = [3, 1, 2]' } },
      { code: 'sum(range(100))', timeit: { setup: '' } },
      { code: 'x = 1\nprint(x)' },
    ]);
  });

  it('/run and /timeit take a Python version first, and the reply says which ran; one not offered is refused privately', async () => {
    bot = await startSlackBot({ run: ({ code, timeit }) => ({ output: `${timeit ? 'timed' : 'ran'} ${code}\n` }) });
    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ text: '3.14 print(6*7)' }));
    expect((await bot.posted('ran print(6*7)')).args.text).toMatch(/^✅ done in [\d.]+ s · Python 3\.14\.0\n```\nran print\(6\*7\)\n```$/);
    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ command: '/timeit', text: '3.11\n```py\nx = 1\n```\n```py\nx + 1\n```' }));
    expect((await bot.posted('timed x + 1')).args.text).toMatch(/ · Python 3\.11\.0\n/);

    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ text: '3.12 print(1)' }));
    const privately = await bot.fake.waitForCall('response_url', undefined, WAIT_MS);
    expect(privately.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(privately.args.text)).toBe("Not run: Python 3.12 isn't offered here: choose 3.13, 3.14 or 3.11 (3.13 is the default).");
    expect(bot.sandbox.calls).toEqual([
      { code: 'print(6*7)', python: '3.14' },
      { code: 'x + 1', timeit: { setup: 'x = 1' }, python: '3.11' },
    ]);
  });

  it('/timeit with nothing to time answers only the asker, with the timeit how-to', async () => {
    bot = await startSlackBot();
    bot.fake.sendCommand(bot.fake.payloads.slashCommand({ command: '/timeit', text: ' ' }));
    const privately = await bot.fake.waitForCall('response_url', undefined, WAIT_MS);
    expect(privately.args).toMatchObject({ response_type: 'ephemeral' });
    expect(String(privately.args.text)).toMatch(/That code is empty\. To time code, put it after \/timeit/);
    expect(bot.sandbox.calls).toEqual([]);
    expect(bot.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('the run reaction on a message the bot has seen runs it without asking Slack for the text', async () => {
    bot = await startSlackBot();
    const message = bot.fake.payloads.channelMessage({ text: 'look:\n```py\nprint("seen")\n```' });
    await bot.deliver(message);
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: String(message.event.ts) }));

    const reply = await bot.posted('ran print("seen")');
    expect(reply.args.thread_ts).toBe(message.event.ts);
    expect(bot.fake.callsTo('conversations.history')).toHaveLength(0);
  });

  it('the run reaction on an unseen message fetches it: history for a top-level message, replies for a thread reply', async () => {
    bot = await startSlackBot();
    const user = bot.fake.team.userId;
    const top = bot.fake.store.add(DEFAULT_CHANNEL, { user, text: '```print("top")```' });
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: top.ts }));
    expect((await bot.posted('ran print("top")')).args.thread_ts).toBe(top.ts);
    expect((await bot.fake.waitForCall('conversations.history')).args).toMatchObject({ latest: top.ts, inclusive: 'true', limit: '1' });

    const parent = bot.fake.store.add(DEFAULT_CHANNEL, { user, text: 'thread' });
    const inThread = bot.fake.store.add(DEFAULT_CHANNEL, { user, text: '```print("reply")```', thread_ts: parent.ts });
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: inThread.ts }));
    expect((await bot.posted('ran print("reply")')).args.thread_ts).toBe(parent.ts);
    expect(bot.fake.callsTo('conversations.replies')).toHaveLength(1);
  });

  it('other reactions run nothing', async () => {
    bot = await startSlackBot();
    const message = bot.fake.payloads.channelMessage({ text: '```print("x")```' });
    await bot.deliver(message);
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'thumbsup', ts: String(message.event.ts) }));
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: String(message.event.ts) }));
    await bot.posted('ran print("x")');
    expect(bot.sandbox.calls).toHaveLength(1);
  });

  it('a message runs once per edit window: ▶ from a second user, or on a message answered through a mention, runs nothing', async () => {
    bot = await startSlackBot();
    const message = bot.fake.payloads.channelMessage({ text: '```print("once")```' });
    await bot.deliver(message);
    const ts = String(message.event.ts);
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts }));
    await bot.posted('ran print("once")');
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts, user: 'U0SECONDUSER' }));
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts }));

    // A mention in a channel arrives twice, as Slack sends it: app_mention and message.channels.
    const mention = bot.fake.payloads.appMention({ text: '```print("mentioned")```' });
    await bot.deliver(mention);
    await bot.deliver(bot.fake.payloads.channelMessage({ ts: String(mention.event.ts), text: String(mention.event.text) }));
    await bot.posted('ran print("mentioned")');
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: String(mention.event.ts), user: 'U0SECONDUSER' }));

    // Each ▶ is decided (and logged) when it arrives: no waiting for something not to happen.
    const refusals = () => bot.logs.filter((line) => line.includes('already answered: the reaction runs nothing')).length;
    for (const deadline = Date.now() + WAIT_MS; refusals() < 3 && Date.now() < deadline; ) await sleep(20);
    expect(refusals()).toBe(3);
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print("once")', 'print("mentioned")']);
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('the "Run Python" shortcut runs any message, fenced or not, and replies in its thread', async () => {
    bot = await startSlackBot();
    const fenced = bot.fake.payloads.messageShortcut({ callbackId: 'run_python', text: 'try ```print("a")```' });
    await bot.fake.waitForAck(bot.fake.sendInteractive(fenced).envelope_id);
    expect((await bot.posted('ran print("a")')).args.thread_ts).toBe(fenced.message_ts);

    const plain = bot.fake.payloads.messageShortcut({ callbackId: 'run_python', text: 'print(2 &amp; 3)' });
    bot.fake.sendInteractive(plain);
    expect((await bot.posted('ran print(2 &amp; 3)')).args.thread_ts).toBe(plain.message_ts);
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print("a")', 'print(2 & 3)']);
  });
});
