import { describe, expect, it } from 'vitest';
import { FakeSandbox } from '../support/fake-sandbox.js';
import { buttonIds, expectNoPings, py, startHarness, TIMEIT_SUMMARY, timingSandbox } from './harness.js';

/** What happens to a reply afterwards: edits, deletes, buttons; and what a reply holds. */

describe('discord replies', { timeout: 20_000 }, () => {
  it('re-runs an edited message once per burst of edits, editing its reply in place', async () => {
    const h = await startHarness({ tuning: { editDebounceMs: 300 } }); // ample for two edits in a row
    const source = h.fake.sendMessage({ content: `!run ${py('print("one")')}` });
    const reply = await h.replyTo(source);
    h.fake.editMessage(source, { content: `!run ${py('print("two")')}` });
    h.fake.editMessage(source, { content: `!run ${py('print("three")')}` });
    await h.fake.waitFor(() => (h.fake.state.messages.get(reply.id)?.content.includes('three') ? true : undefined));
    const edits = h.fake.requestsMatching({ method: 'PATCH', path: `/channels/${h.fake.channelId}/messages/${reply.id}` });
    expect(edits).toHaveLength(1);
    expect(edits[0]?.body.components).toHaveLength(1);
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("one")', 'print("three")']);
    expect(h.fake.requestsMatching({ method: 'POST', path: `/channels/${h.fake.channelId}/messages` })).toHaveLength(1);
  });

  it('times an edited !timeit message again, with its new setup, updating the reply in place', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const source = h.fake.sendMessage({ content: '!timeit sum(range(10))' });
    const reply = await h.replyTo(source);
    h.fake.editMessage(source, { content: `!timeit ${py('n = 10_000')}\n${py('sum(range(n))')}` });
    await h.fake.waitForRequest({ method: 'PATCH', path: `/channels/${h.fake.channelId}/messages/${reply.id}` });
    expect((h.sandbox as FakeSandbox).calls).toEqual([
      { code: 'sum(range(10))', timeit: { setup: '' } },
      { code: 'sum(range(n))', timeit: { setup: 'n = 10_000' } },
    ]);
    expect(h.fake.state.messages.get(reply.id)?.content).toContain(TIMEIT_SUMMARY);
  });

  it('turns the reply into a notice when the code is edited away', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run ${py('print("one")')}` });
    const reply = await h.replyTo(source);
    h.fake.editMessage(source, { content: '!run ```js\n1\n```' });
    await h.fake.waitFor(() => (h.fake.state.messages.get(reply.id)?.content.startsWith('Only Python') ? true : undefined));
    expect(h.fake.state.messages.get(reply.id)?.components).toEqual([]);
  });

  it('deletes the reply when its message is deleted', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run ${py('print("bye")')}` });
    const reply = await h.replyTo(source);
    h.fake.deleteMessage(source);
    await h.fake.waitForRequest({ method: 'DELETE', path: `/channels/${h.fake.channelId}/messages/${reply.id}` });
    expect(h.fake.state.messages.has(reply.id)).toBe(false);
  });

  it('"Run again" re-runs the message and updates the result it sits on', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run ${py('print("again")')}` });
    const reply = await h.replyTo(source);
    const bob = h.fake.addUser({ username: 'bob' });
    const press = h.fake.buttonClick({ customId: buttonIds(reply)[0]!, message: reply, user: bob });
    expect((await press.waitForCallback()).body.type).toBe(6); // deferred update
    await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${press.token}/messages/@original` });
    expect((h.sandbox as FakeSandbox).calls).toHaveLength(2);
    // The result still belongs to whoever asked first.
    expect(buttonIds(h.fake.state.messages.get(reply.id)!)).toEqual(buttonIds(reply));
  });

  it('"Run again" on a /run result uses the kept code, and says so once it is forgotten', async () => {
    const h = await startHarness();
    const command = h.fake.slashCommand({ name: 'run', options: { code: 'print("kept")' } });
    const response = await h.responseTo(command);
    const press = h.fake.buttonClick({ customId: buttonIds(response)[0]!, message: response });
    await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${press.token}/messages/@original` });
    expect((h.sandbox as FakeSandbox).calls.map((c) => c.code)).toEqual(['print("kept")', 'print("kept")']);

    const forgotten = h.fake.buttonClick({ customId: buttonIds(response)[0]!.replace(command.id, '1234567890123456789'), message: response });
    const told = await forgotten.waitForCallback();
    expect(told.body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining('no longer kept') } });
    expect((h.sandbox as FakeSandbox).calls).toHaveLength(2);
  });

  it('"Run again" on a !timeit result times the message again', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const source = h.fake.sendMessage({ content: `!timeit ${py('x = [3, 1, 2]')}\n${py('sorted(x)')}` });
    const reply = await h.replyTo(source);
    const press = h.fake.buttonClick({ customId: buttonIds(reply)[0]!, message: reply });
    await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${press.token}/messages/@original` });
    const timed = { code: 'sorted(x)', timeit: { setup: 'x = [3, 1, 2]' } };
    expect((h.sandbox as FakeSandbox).calls).toEqual([timed, timed]);
  });

  it('"Run again" on a /timeit result times the kept code again', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const command = h.fake.slashCommand({ name: 'timeit', options: { code: 'sum(range(100))' } });
    const response = await h.responseTo(command);
    const press = h.fake.buttonClick({ customId: buttonIds(response)[0]!, message: response });
    await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${press.token}/messages/@original` });
    const timed = { code: 'sum(range(100))', timeit: { setup: '' } };
    expect((h.sandbox as FakeSandbox).calls).toEqual([timed, timed]);
    expect(h.fake.state.messages.get(response.id)?.content).toContain(TIMEIT_SUMMARY);
  });

  it('"Delete" removes the result for the person who asked', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run ${py('print("delete me")')}` });
    const reply = await h.replyTo(source);
    const press = h.fake.buttonClick({ customId: buttonIds(reply).at(-1)!, message: reply });
    await h.fake.waitForRequest({ method: 'DELETE', path: `/webhooks/${h.fake.applicationId}/${press.token}/messages/@original` });
    expect(h.fake.state.messages.has(reply.id)).toBe(false);
    expect(h.fake.state.messages.has(source.id)).toBe(true);
  });

  it('"Delete" by someone else is refused, privately', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run ${py('print("mine")')}` });
    const reply = await h.replyTo(source);
    const press = h.fake.buttonClick({ customId: buttonIds(reply).at(-1)!, message: reply, user: h.fake.addUser({ username: 'mallory' }) });
    const callback = await press.waitForCallback();
    expect(callback.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(callback.body.data.content).toMatch(/^Only the person who asked/);
    expect(h.fake.state.messages.has(reply.id)).toBe(true);
  });

  it('neutralises fences and mentions in the output', async () => {
    const hostile = 'before\n```\n@everyone @here <@123456789012345678> <@&123456789012345678>\n```\nafter';
    const h = await startHarness({ sandbox: new FakeSandbox(() => ({ output: hostile })) });
    const reply = await h.replyTo(h.fake.sendMessage({ content: `!run ${py('print("hostile")')}` }));
    expect(reply.content.split('```')).toHaveLength(3); // only the reply's own block
    expect(reply.content).not.toMatch(/@everyone|@here|<@\d|<@&\d/);
    expect(reply.content).toContain('@\u200beveryone');
    expect(reply.mention_everyone).toBe(false);
    expect(reply.mentions).toEqual([]);
  });

  it('cuts long output to 2000 characters and attaches all of it as output.txt', async () => {
    const output = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const h = await startHarness({ sandbox: new FakeSandbox(() => ({ output })) });
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!run print("long")' }));
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.content).toContain('(full output in output.txt)');
    const upload = h.fake.requestsMatching((r) => r.files.length > 0)[0];
    expect(upload?.files.map((f) => [f.name, f.text()])).toEqual([['output.txt', output]]);
  });

  it('sends a reply without the file when it is over the upload limit, and says so', async () => {
    const output = 'x'.repeat(5000);
    const h = await startHarness({ sandbox: new FakeSandbox(() => ({ output })), fake: { maxUploadBytes: 1000 } });
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!run print("big")' }));
    expect(reply.content).toMatch(/^⚠️ The files were too big to attach\.\n✅/);
    expect(reply.attachments).toEqual([]);
    expect(h.fake.requestsMatching({ method: 'POST', path: `/channels/${h.fake.channelId}/messages` }).map((r) => r.status)).toEqual([413, 200]);
  });

  it('pings nobody in anything it sends', async () => {
    const h = await startHarness({ sandbox: new FakeSandbox(() => ({ output: '@everyone <@1234567890>' })) });
    const source = h.fake.sendMessage({ content: `<@${h.fake.user.id}> !run print(1)`, mentionBot: true });
    const reply = await h.replyTo(source);
    h.fake.editMessage(source, { content: `<@${h.fake.bot.id}> ${py('print(2)')}` });
    await h.fake.waitForRequest({ method: 'PATCH', path: `/channels/${h.fake.channelId}/messages/${reply.id}` });
    const command = h.fake.slashCommand({ name: 'run', options: { code: 'print(3)' } });
    await h.responseTo(command);
    await h.fake.slashCommand({ name: 'run', options: { code: '```js\n1\n```' } }).waitForCallback();
    expectNoPings(h.fake);
    expect([...h.fake.state.messages.values()].filter((m) => m.author.id === h.fake.bot.id).every((m) => m.mentions.length === 0 && !m.mention_everyone)).toBe(true);
  });
});
