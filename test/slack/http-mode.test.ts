import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL, postEvent, postInteractive } from '../fakes/slack/index.js';
import { postRun, SIGNING_SECRET, startSlackBot, type SlackBot } from './harness.js';

describe('Slack in HTTP mode (signed requests)', () => {
  let bot: SlackBot;

  beforeEach(async () => {
    bot = await startSlackBot({ mode: 'http' });
  });

  afterEach(async () => {
    await bot.stop();
  });

  it('listens on a port of its own and opens no Socket Mode connection', () => {
    expect(bot.adapter.port).toBeGreaterThan(0);
    expect(bot.fake.callsTo('apps.connections.open')).toEqual([]);
  });

  it('a signed /run is acked within 3 s, then the result is posted in the channel', async () => {
    const sent = Date.now();
    const answer = await postRun(bot, 'print("http")');
    expect(answer.status).toBe(200);
    expect(Date.now() - sent).toBeLessThan(3000);
    expect((await bot.posted('ran print("http")')).args.channel).toBe(DEFAULT_CHANNEL);
  });

  it('a signed mention is answered in its thread; the shortcut works too', async () => {
    const mention = bot.fake.payloads.appMention({ text: '```print("event")```' });
    await bot.deliver(mention);
    expect((await bot.posted('ran print("event")')).args.thread_ts).toBe(mention.event.ts);

    const shortcut = bot.fake.payloads.messageShortcut({ callbackId: 'run_python', text: '```print("shortcut")```' });
    expect((await postInteractive(bot.url, shortcut, { signingSecret: SIGNING_SECRET })).status).toBe(200);
    expect((await bot.posted('ran print("shortcut")')).args.thread_ts).toBe(shortcut.message_ts);
  });

  it('a badly signed /run or event is refused with 401 and runs nothing', async () => {
    expect((await postRun(bot, 'print("forged")', { badSignature: true })).status).toBe(401);
    const forged = bot.fake.payloads.appMention({ text: '```print("forged")```' });
    expect((await postEvent(bot.url, forged, { signingSecret: SIGNING_SECRET, badSignature: true })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600; // a replayed request: signed, but old
    expect((await postEvent(bot.url, forged, { signingSecret: SIGNING_SECRET, timestamp: stale })).status).toBe(401);

    await postRun(bot, 'print("genuine")');
    await bot.posted('ran print("genuine")');
    expect(bot.sandbox.calls.map((call) => call.code)).toEqual(['print("genuine")']);
  });

  it('a retry (X-Slack-Retry-Num) of an event already handled runs nothing', async () => {
    const mention = bot.fake.payloads.appMention({ text: '```print("once")```' });
    await bot.deliver(mention);
    await bot.posted('ran print("once")');
    const retry = await postEvent(bot.url, mention, { signingSecret: SIGNING_SECRET, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    await bot.logged('"retryNum":1,"retryReason":"http_timeout"');
    expect(bot.sandbox.calls).toHaveLength(1);
  });
});
