import { describe, expect, it } from 'vitest';
import { FakeSandbox } from '../support/fake-sandbox.js';
import { buttonIds, py, startHarness, TIMEIT_SUMMARY, timingSandbox } from './harness.js';

/** Every way to ask for a run reaches the same evaluator and gets one reply. */

describe('discord triggers', { timeout: 20_000 }, () => {
  it('runs a message starting with the prefix, replying to it with ⏳ shown meanwhile', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run ${py('print("hi")')}` });
    const reply = await h.replyTo(source);
    expect(reply.content).toMatch(/^✅ done in \d+\.\d\d s( \(ran 0\.01 s\))? · Python 3\.13\.0\n```\nhi\n```$/);
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'print("hi")' }]);
    const target = `m:${source.id}:${h.fake.user.id}`;
    expect(buttonIds(reply)).toEqual([`sandpiper:again:${target}`, `sandpiper:again:${target}:3.14`, `sandpiper:again:${target}:3.11`, `sandpiper:delete:${target}`]);
    const hourglass = `/channels/${h.fake.channelId}/messages/${source.id}/reactions/⏳/@me`;
    expect(h.fake.requestsMatching({ path: hourglass }).map((r) => r.method)).toEqual(['PUT', 'DELETE']);
    expect(h.fake.state.messages.get(source.id)?.reactions).toEqual([]);
  });

  it('takes the rest of a prefix message as code, like /run', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: '!run print("raw")' });
    expect((await h.replyTo(source)).content).toContain('raw');
  });

  it('times a message starting with !timeit: of several blocks, the first is the setup', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const source = h.fake.sendMessage({ content: `!timeit ${py('numbers = list(range(1000))')}\n${py('sum(numbers)')}` });
    const reply = await h.replyTo(source);
    expect(reply.content.split('\n')).toEqual([expect.stringMatching(/^✅ done in /), '```', TIMEIT_SUMMARY, '```']);
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'sum(numbers)', timeit: { setup: 'numbers = list(range(1000))' } }]);
    expect(buttonIds(reply)[0]).toBe(`sandpiper:again:m:${source.id}:${h.fake.user.id}`);
  });

  it('times the rest of a !timeit message with no setup, and leaves !run to run once', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    await h.replyTo(h.fake.sendMessage({ content: '!timeit sorted(range(100))' }));
    await h.replyTo(h.fake.sendMessage({ content: `!run ${py('x = 1')}\n${py('print(x)')}` }));
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'sorted(range(100))', timeit: { setup: '' } }, { code: 'x = 1\nprint(x)' }]);
  });

  it('takes DISCORD_TIMEIT_PREFIX as the timeit prefix, in DMs too when they need a prefix', async () => {
    const h = await startHarness({ sandbox: timingSandbox(), env: { DISCORD_TIMEIT_PREFIX: '?time', DISCORD_DMS: 'false' } });
    h.fake.sendDm({ content: '!timeit len("ignored")' });
    await h.replyTo(h.fake.sendDm({ content: '?time len("abc")' }));
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'len("abc")', timeit: { setup: '' } }]);
  });

  it('answers !timeit without code with the timeit how-to, and times nothing', async () => {
    const h = await startHarness();
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!timeit' }));
    expect(reply.content).toMatch(/^That code is empty\. To time code, put it after \/timeit/);
    expect((h.sandbox as FakeSandbox).calls).toEqual([]);
  });

  it('runs a message that mentions the bot, and ignores code nobody addressed to it', async () => {
    const h = await startHarness();
    h.fake.sendMessage({ content: py('print("not for the bot")') });
    const source = h.fake.sendMessage({ content: py('print("mention")'), mentionBot: true });
    expect((await h.replyTo(source)).content).toContain('mention');
    // Events are handled in order: had the first message been taken, it would have run already.
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("mention")']);
  });

  it('runs any DM holding a Python block, without the prefix', async () => {
    const h = await startHarness();
    const source = h.fake.sendDm({ content: py('print("dm")') });
    const reply = await h.replyTo(source);
    expect(reply.content).toContain('dm');
    expect(reply.channel_id).toBe(source.channel_id);
  });

  it('answers a DM without code with the how-to, as it answers a mention', async () => {
    const h = await startHarness();
    const reply = await h.replyTo(h.fake.sendDm({ content: 'hello, what can you do?' }));
    const mentioned = await h.replyTo(h.fake.sendMessage({ content: 'hello, what can you do?', mentionBot: true }));
    expect(reply.content).toMatch(/^No code found\. Put your code in a block/);
    expect(reply.content).toBe(mentioned.content);
    expect((h.sandbox as FakeSandbox).calls).toEqual([]);
  });

  it('needs the prefix in DMs too when DISCORD_DMS is off', async () => {
    const h = await startHarness({ env: { DISCORD_DMS: 'false' } });
    h.fake.sendDm({ content: 'hello, what can you do?' });
    h.fake.sendDm({ content: py('print("ignored")') });
    const source = h.fake.sendDm({ content: `!run ${py('print("prefixed")')}` });
    expect((await h.replyTo(source)).content).toContain('prefixed');
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("prefixed")']);
    // Events are handled in order: had the plain DM been answered, its reply would be there by now.
    expect([...h.fake.state.messages.values()].filter((m) => m.author.id === h.fake.bot.id)).toHaveLength(1);
  });

  it('runs a message when someone reacts with the run emoji, once per window', async () => {
    const h = await startHarness();
    const bob = h.fake.addUser({ username: 'bob' });
    // Posted before the bot started: the reaction arrives on an uncached message (partials).
    const source = h.fake.seedMessage({ content: `look: ${py('print("reacted")')}` });
    h.fake.addReaction({ message: source, emoji: '▶️', user: bob });
    const reply = await h.replyTo(source);
    expect(reply.content).toContain('reacted');
    expect(buttonIds(reply).at(-1)).toBe(`sandpiper:delete:m:${source.id}:${bob.id}`); // the reactor asked

    h.fake.removeReaction({ message: source, emoji: '▶️', user: bob });
    h.fake.addReaction({ message: source, emoji: '▶️', user: bob });
    h.fake.addReaction({ message: source, emoji: '▶️' }); // someone else, same message
    const later = h.fake.sendMessage({ content: `!run ${py('print("later")')}` });
    await h.replyTo(later);
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("reacted")', 'print("later")']);
  });

  it('runs nothing when someone reacts to a message already answered through the prefix', async () => {
    const h = await startHarness();
    const bob = h.fake.addUser({ username: 'bob' });
    const source = h.fake.sendMessage({ content: `!run ${py('print("asked")')}` });
    await h.replyTo(source);
    h.fake.addReaction({ message: source, emoji: '▶️', user: bob });
    // A reaction handled later than the one above: once it is answered, the first was handled too.
    const other = h.fake.sendMessage({ content: py('print("other")') });
    h.fake.addReaction({ message: other, emoji: '▶️', user: bob });
    await h.replyTo(other);
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("asked")', 'print("other")']);
    expect([...h.fake.state.messages.values()].filter((m) => m.message_reference?.message_id === source.id)).toHaveLength(1);
  });

  it('answers /run code:… by deferring at once, then editing the response', async () => {
    const h = await startHarness();
    const interaction = h.fake.slashCommand({ name: 'run', options: { code: 'print("slash")' } });
    expect((await interaction.waitForCallback()).body.type).toBe(5);
    const response = await h.responseTo(interaction);
    expect(response.content).toContain('slash');
    expect(buttonIds(response)[0]).toBe(`sandpiper:again:c:${interaction.id}:${h.fake.user.id}`);
    expect(h.fake.requestsMatching({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${interaction.token}/messages/@original` })).toHaveLength(1);
  });

  it('opens an editor for /run without code, and runs what is submitted', async () => {
    const h = await startHarness();
    const command = h.fake.slashCommand({ name: 'run' });
    expect((await command.waitForCallback()).body.type).toBe(9);
    expect(command.record.modal?.title).toBe('Run Python');
    const submit = h.fake.modalSubmit({ from: command, fields: { code: 'x = 6\nprint("modal")' } });
    expect((await submit.waitForCallback()).body.type).toBe(5);
    expect((await h.responseTo(submit)).content).toContain('modal');
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'x = 6\nprint("modal")' }]);
  });

  it('times /timeit code:…, answered like /run', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const interaction = h.fake.slashCommand({ name: 'timeit', options: { code: 'sum(range(100))' } });
    expect((await interaction.waitForCallback()).body.type).toBe(5);
    const response = await h.responseTo(interaction);
    expect(response.content).toContain(TIMEIT_SUMMARY);
    expect(buttonIds(response)[0]).toBe(`sandpiper:again:c:${interaction.id}:${h.fake.user.id}`);
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'sum(range(100))', timeit: { setup: '' } }]);
  });

  it('opens an editor for /timeit without code, where a first block is the setup', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const command = h.fake.slashCommand({ name: 'timeit' });
    expect((await command.waitForCallback()).body.type).toBe(9);
    expect(command.record.modal?.title).toBe('Time Python');
    const submit = h.fake.modalSubmit({ from: command, fields: { code: `${py('import math')}\n${py('math.sqrt(2)')}` } });
    expect((await h.responseTo(submit)).content).toContain(TIMEIT_SUMMARY);
    expect((h.sandbox as FakeSandbox).calls).toEqual([{ code: 'math.sqrt(2)', timeit: { setup: 'import math' } }]);
  });

  it('runs the message a "Run Python" context menu was used on', async () => {
    const h = await startHarness();
    const target = h.fake.sendMessage({ content: `how about ${py('print("menu")')}` });
    const interaction = h.fake.messageCommand({ name: 'Run Python', target });
    const response = await h.responseTo(interaction);
    expect(response.content).toContain('menu');
    expect(buttonIds(response)[0]).toBe(`sandpiper:again:m:${target.id}:${h.fake.user.id}`);
  });

  it('says only Python runs when the block is in another language', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: '!run ```js\nconsole.log(1)\n```' });
    const reply = await h.replyTo(source);
    expect(reply.content).toMatch(/^Only Python can be run here, and that block is marked as js\./);
    expect(reply.components).toEqual([]);
    expect((h.sandbox as FakeSandbox).calls).toEqual([]);
  });

  it('answers a notice to a command only to the person who asked', async () => {
    const h = await startHarness();
    const interaction = h.fake.messageCommand({ name: 'Run Python', target: h.fake.sendMessage({ content: 'no code here' }) });
    const callback = await interaction.waitForCallback();
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(callback.body.data.content).toMatch(/^No code found\./);
  });

  it('tells a user who ran too much to slow down', async () => {
    const h = await startHarness({ env: { LIMIT_USER_RUNS_PER_MINUTE: '1' } });
    await h.replyTo(h.fake.sendMessage({ content: '!run print("first")' }));
    const second = h.fake.sendMessage({ content: '!run print("second")' });
    expect((await h.replyTo(second)).content).toMatch(/^Slow down: you have used this minute's runs\. Try again in \d+ s\.$/);
    expect((h.sandbox as FakeSandbox).calls).toHaveLength(1);
    // The refusal came before any ⏳: the run was never admitted.
    expect(h.fake.requestsMatching({ path: `/channels/${h.fake.channelId}/messages/${second.id}/reactions/⏳/@me` })).toEqual([]);
  });

  it('refuses /run over the limits privately, without "thinking…" first', async () => {
    const h = await startHarness({ env: { LIMIT_USER_RUNS_PER_MINUTE: '1' } });
    await h.responseTo(h.fake.slashCommand({ name: 'run', options: { code: 'print("first")' } }));
    const second = h.fake.slashCommand({ name: 'run', options: { code: 'print("second")' } });
    const callback = await second.waitForCallback();
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(callback.body.data.content).toMatch(/^Slow down: you have used this minute's runs\./);
    expect(h.fake.requestsMatching({ path: `/interactions/${second.id}/${second.token}/callback` })).toHaveLength(1);
    expect((h.sandbox as FakeSandbox).calls).toHaveLength(1);
  });
});
