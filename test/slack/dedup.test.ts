import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DM } from '../fakes/slack/index.js';
import { startSlackBot, type SlackBot } from './harness.js';

describe('Slack re-deliveries run code once (Socket Mode)', () => {
  let bot: SlackBot;

  afterEach(async () => {
    await bot?.stop();
  });

  it('an event re-delivered with the same event_id (retry_attempt 1) runs once', async () => {
    bot = await startSlackBot();
    const first = bot.fake.sendEvent(bot.fake.payloads.appMention({ text: '```print("once")```' }));
    await bot.posted('ran print("once")');
    const again = bot.fake.socket.redeliver(first, 1, 'timeout');
    await bot.fake.waitForAck(again.envelope_id);
    await bot.logged('dropped a repeated Slack delivery');
    expect(bot.sandbox.calls).toHaveLength(1);
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a command re-delivered with the same trigger_id is acked and runs once', async () => {
    bot = await startSlackBot();
    const command = bot.fake.payloads.slashCommand({ text: 'print("once")' });
    bot.fake.sendCommand(command);
    await bot.posted('ran print("once")');
    const again = bot.fake.sendCommand(command, { retryAttempt: 1, retryReason: 'timeout' });
    await bot.fake.waitForAck(again.envelope_id);
    await bot.logged('dropped a repeated Slack delivery');
    expect(bot.sandbox.calls).toHaveLength(1);
  });

  it('a message that arrives both as app_mention and as message.im runs once', async () => {
    bot = await startSlackBot();
    const dm = bot.fake.payloads.dmMessage({ text: `<@${bot.fake.team.botUserId}> \`\`\`print("both")\`\`\`` });
    await bot.deliver(dm);
    await bot.deliver(bot.fake.payloads.appMention({ text: String(dm.event.text), ts: String(dm.event.ts), channel: DEFAULT_DM }));
    // A later message is answered, so the duplicate before it has been passed over.
    await bot.deliver(bot.fake.payloads.dmMessage({ text: '```print("next")```' }));
    await bot.posted('ran print("next")');
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print("both")', 'print("next")']);
  });
});
