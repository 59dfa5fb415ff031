import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS, Perm, type FakeDiscord, type RecordedRequest } from '../fakes/discord/server.js';
import { FakeSandbox, printedStrings } from '../support/fake-sandbox.js';
import { py, startHarness, STOP_GRACE_MS, WARN } from './harness.js';

/** Discord failing in the ways it does: the user still gets an answer where possible, the bot never crashes. */

const ERROR = 50;

/** A sandbox whose runs wait until released. */
function gatedSandbox(): { sandbox: FakeSandbox; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { sandbox: new FakeSandbox(async (input) => (await gate, printedStrings(input))), release };
}

describe('discord failures', { timeout: 20_000 }, () => {
  it('waits out a 429 and still replies', async () => {
    const h = await startHarness();
    const path = `/channels/${h.fake.channelId}/messages`;
    h.fake.failNext({ method: 'POST', path }, { kind: 'ratelimit', retryAfter: 0.2 });
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!run print("patient")' }));
    expect(reply.content).toContain('patient');
    expect(h.fake.requestsMatching({ method: 'POST', path }).map((r) => r.status)).toEqual([429, 200]);
  });

  it('posts in the channel when replying is refused (403), and logs why', async () => {
    const h = await startHarness();
    const path = `/channels/${h.fake.channelId}/messages`;
    h.fake.failNext({ method: 'POST', path }, { kind: 'code', code: 50013 });
    h.fake.sendMessage({ content: '!run print("fallback")' });
    const posted = await h.fake.waitForBotMessage((m) => m.content.includes('fallback'));
    expect(posted.message_reference).toBeUndefined();
    const posts = h.fake.requestsMatching({ method: 'POST', path });
    expect(posts.map((r) => [r.status, r.body.message_reference !== undefined])).toEqual([[403, true], [200, false]]);
    const logged = await h.waitForLog((line) => line.level === WARN && line.code === 50013);
    expect(logged).toMatchObject({ destination: 'reply', trigger: 'message', channel: h.fake.channelId, user: h.fake.user.id });
  });

  it('sends the result by DM when it may not post in the channel at all', async () => {
    const h = await startHarness();
    h.fake.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~Perm.SendMessages, { channelId: h.fake.channelId });
    h.fake.sendMessage({ content: '!run print("by dm")' });
    const dm = await h.fake.waitForBotMessage((m) => m.content.includes('by dm'));
    expect(dm.channel_id).toBe(h.fake.state.dmChannelFor(h.fake.user).id);
    expect(dm.content).toMatch(/^⚠️ I couldn't post in the channel where you asked/);
    expect(dm.components).toEqual([]);
  });

  it('falls back after repeated 5xx answers (discord.js retries them first)', async () => {
    const h = await startHarness();
    const isReply = (r: RecordedRequest) => r.method === 'POST' && r.body?.message_reference !== undefined;
    h.fake.failNext(isReply, { kind: 'status', status: 502 }, 4);
    h.fake.sendMessage({ content: '!run print("after 502s")' });
    await h.fake.waitForBotMessage((m) => m.content.includes('after 502s'));
    expect(h.fake.requestsMatching(isReply).map((r) => r.status)).toEqual([502, 502, 502, 502]);
  });

  it('gives up with a log line when nothing works (a deleted channel), and keeps going', async () => {
    const h = await startHarness();
    const path = `/channels/${h.fake.channelId}/messages`;
    h.fake.failNext({ method: 'POST', path }, { kind: 'code', code: 10003 }, 2);
    h.fake.failNext({ method: 'POST', path: '/users/@me/channels' }, { kind: 'code', code: 50007 });
    h.fake.sendMessage({ content: '!run print("lost")' });
    expect(await h.waitForLog((line) => line.level === ERROR)).toMatchObject({ msg: 'could not post the reply anywhere: giving up', tried: ['reply', 'channel', 'dm'] });
    expect((await h.replyTo(h.fake.sendMessage({ content: '!run print("still here")' }))).content).toContain('still here');
  });

  it('posts nothing for a message deleted while its code runs', async () => {
    const { sandbox, release } = gatedSandbox();
    const h = await startHarness({ sandbox });
    const source = h.fake.sendMessage({ content: `!run ${py('print("withdrawn")')}` });
    await h.fake.waitFor(() => (sandbox.calls.length === 1 ? true : undefined));
    h.fake.deleteMessage(source);
    // Events are handled in order: once this notice is answered, so is the deletion.
    await h.replyTo(h.fake.sendMessage({ content: '!run ```js\n1\n```' }));
    release();
    // One run at a time per user: once the next run is answered, the withdrawn one is done.
    await h.replyTo(h.fake.sendMessage({ content: '!run print("next")' }));
    expect(sandbox.calls).toHaveLength(2);
    expect([...h.fake.state.messages.values()].filter((m) => m.content.includes('withdrawn'))).toEqual([]);
    expect(h.fake.requestsMatching((r) => r.body?.message_reference?.message_id === source.id)).toEqual([]);
  });

  it('drops the reply when Discord says the message is gone before the bot heard of it', async () => {
    const { sandbox, release } = gatedSandbox();
    const h = await startHarness({ sandbox });
    const source = h.fake.sendMessage({ content: '!run print("gone")' });
    await h.fake.waitFor(() => (sandbox.calls.length === 1 ? true : undefined));
    h.fake.state.messages.delete(source.id); // deleted on Discord; the event is still on its way
    release();
    await h.waitForLog((line) => line.msg === 'the message was deleted while its code ran: reply dropped');
    expect(h.fake.requestsMatching((r) => r.method === 'POST' && r.path.endsWith('/messages')).map((r) => r.status)).toEqual([400]);
  });

  it('stop() lets a run in flight post its reply, answers newcomers "restarting", then disconnects', async () => {
    const { sandbox, release } = gatedSandbox();
    const h = await startHarness({ sandbox });
    const source = h.fake.sendMessage({ content: '!run print("in flight")' });
    await h.fake.waitFor(() => (sandbox.calls.length === 1 ? true : undefined));
    // As src/main.ts stops: the adapter and the evaluator together.
    const stopped = Promise.all([h.adapter.stop(STOP_GRACE_MS), h.evaluator.close(STOP_GRACE_MS)]);
    const late = h.fake.sendMessage({ content: '!run print("too late")' });
    expect((await h.replyTo(late)).content).toBe('Sandpiper is restarting. Try again in a minute.');
    release();
    await stopped;
    expect(h.fake.requestsMatching((r) => r.body?.message_reference?.message_id === source.id)).toHaveLength(1);
    expect(sandbox.calls.map((c) => c.code)).toEqual(['print("in flight")']);
    expect(h.fake.gateway.sessions.size).toBe(0); // the client disconnected
  });

  const discordGone = {
    'stops answering': (fake: FakeDiscord) => fake.failNext(() => true, { kind: 'hang' }, Infinity),
    'goes away': (fake: FakeDiscord) => fake.close(),
  };
  it.each(Object.entries(discordGone))('stop() ends within its grace period when Discord %s while a run is in progress', async (_, disappear) => {
    const { sandbox, release } = gatedSandbox();
    const h = await startHarness({ sandbox });
    h.fake.sendMessage({ content: '!run print("unanswered")' });
    await h.fake.waitFor(() => (sandbox.calls.length === 1 ? true : undefined));
    await disappear(h.fake);
    release();
    const graceMs = 1_000;
    const startedAt = Date.now();
    await Promise.all([h.adapter.stop(graceMs), h.evaluator.close(graceMs)]);
    expect(Date.now() - startedAt).toBeLessThan(graceMs + 5_000);
    expect(h.fake.requestsMatching((r) => r.body?.message_reference !== undefined && r.status === 200)).toEqual([]);
    expect(h.fake.gateway.openConnections).toBe(0);
  });
});
