import { describe, expect, it } from 'vitest';
import { MESSAGE_CONTENT_MISSING } from '../../adapters/discord/client.js';
import { FakeSandbox } from '../support/fake-sandbox.js';
import { py, startHarness, WARN } from './harness.js';

/** Where the bot works: the allow-lists, and what still works without the Message Content intent. */

const HOME = { guild: '100000000000000001', general: '200000000000000001', elsewhere: '200000000000000002' };
const AWAY = { guild: '100000000000000002', channel: '200000000000000003' };
const GUILDS = {
  guilds: [
    { id: HOME.guild, channels: [{ id: HOME.general, name: 'general' }, { id: HOME.elsewhere, name: 'elsewhere' }] },
    { id: AWAY.guild, channels: [{ id: AWAY.channel, name: 'general' }] },
  ],
};
const NOT_HERE = { type: 4, data: { content: 'Sandpiper doesn’t run code here.', flags: 64 } };

describe('discord access', { timeout: 20_000 }, () => {
  it('outside the allowed channels, ignores messages and reactions, and answers commands "not here"', async () => {
    const h = await startHarness({ fake: GUILDS, env: { DISCORD_CHANNELS: HOME.general } });
    h.fake.sendMessage({ channelId: HOME.elsewhere, content: `!run ${py('print("no")')}` });
    h.fake.addReaction({ message: h.fake.sendMessage({ channelId: HOME.elsewhere, content: py('print("no")') }), emoji: '▶️' });
    const refused = h.fake.slashCommand({ channelId: HOME.elsewhere, name: 'run', options: { code: 'print("no")' } });
    expect((await refused.waitForCallback()).body).toMatchObject(NOT_HERE);
    const menu = h.fake.messageCommand({ name: 'Run Python', target: h.fake.sendMessage({ channelId: HOME.elsewhere, content: py('1') }) });
    expect((await menu.waitForCallback()).body).toMatchObject(NOT_HERE);

    const allowed = h.fake.sendMessage({ channelId: HOME.general, content: `!run ${py('print("yes")')}` });
    expect((await h.replyTo(allowed)).content).toContain('yes');
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("yes")']);
  });

  it('outside the allowed guilds, does the same; DMs still work', async () => {
    const h = await startHarness({ fake: GUILDS, env: { DISCORD_GUILDS: HOME.guild } });
    h.fake.sendMessage({ channelId: AWAY.channel, content: `!run ${py('print("no")')}` });
    const refused = h.fake.slashCommand({ channelId: AWAY.channel, name: 'run', options: { code: 'print("no")' } });
    expect((await refused.waitForCallback()).body).toMatchObject(NOT_HERE);
    await h.replyTo(h.fake.sendMessage({ channelId: HOME.elsewhere, content: `!run ${py('print("home")')}` }));
    await h.replyTo(h.fake.sendDm({ content: py('print("dm")') }));
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("home")', 'print("dm")']);
  });

  it('without the Message Content intent, warns and logs in without it; commands and mentions still work', async () => {
    const h = await startHarness({ fake: { privilegedIntents: { messageContent: false } } });
    expect(h.logs.find((line) => line.level === WARN && line.msg === MESSAGE_CONTENT_MISSING)).toBeDefined();
    const identifies = h.fake.gateway.received.filter((frame) => frame.op === 2).map((frame) => (frame.d as { intents: number }).intents);
    expect(identifies).toHaveLength(2);
    expect(identifies.map((intents) => (intents & (1 << 15)) !== 0)).toEqual([true, false]);

    const command = h.fake.slashCommand({ name: 'run', options: { code: 'print("slash")' } });
    expect((await h.responseTo(command)).content).toContain('slash');
    const menu = h.fake.messageCommand({ name: 'Run Python', target: h.fake.sendMessage({ content: py('print("menu")') }) });
    expect((await h.responseTo(menu)).content).toContain('menu');
    const mention = h.fake.sendMessage({ content: py('print("mention")'), mentionBot: true });
    expect((await h.replyTo(mention)).content).toContain('mention');
  });
});
