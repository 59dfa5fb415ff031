import { describe, expect, it } from 'vitest';
import { resultButtons } from '../../adapters/discord/buttons.js';
import type { FakeSandbox } from '../support/fake-sandbox.js';
import { buttonIds, buttonRows, py, startHarness, TIMEIT_SUMMARY, timingSandbox, type Harness } from './harness.js';

/** Choosing a Python version: after !run and !timeit, with /run's option, and with "Run in 3.x" under a result. */

const calls = (h: Harness) => (h.sandbox as FakeSandbox).calls;

/** Presses a button on `message` and waits until the result it sits on is edited. */
async function press(h: Harness, message: { id: string }, customId: string): Promise<void> {
  const pressed = h.fake.buttonClick({ customId, message: message.id });
  await h.fake.waitForRequest({ method: 'PATCH', path: `/webhooks/${h.fake.applicationId}/${pressed.token}/messages/@original` });
}

describe('choosing a Python version on Discord', { timeout: 20_000 }, () => {
  it('runs `!run 3.14 …` in 3.14, says so, and offers the other versions', async () => {
    const h = await startHarness();
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!run 3.14 print("hi")' }));
    expect(calls(h)).toEqual([{ code: 'print("hi")', python: '3.14' }]);
    expect(reply.content).toMatch(/^✅ done in [\d.]+ s · Python 3\.14\.0\n```\nhi\n```$/);
    expect(buttonRows(reply)).toEqual([['Run again', 'Run in 3.13', 'Run in 3.11', 'Delete']]);
  });

  it('runs a mention in the default version (only a command word takes one), and says which', async () => {
    const h = await startHarness();
    const reply = await h.replyTo(h.fake.sendMessage({ content: `3.14 ${py('print("hi")')}`, mentionBot: true }));
    expect(calls(h)).toEqual([{ code: 'print("hi")' }]);
    expect(reply.content.split('\n')[0]).toMatch(/ · Python 3\.13\.0$/);
    expect(buttonRows(reply)).toEqual([['Run again', 'Run in 3.14', 'Run in 3.11', 'Delete']]);
  });

  it('takes a version before a block on the next line; an edit reads it again, buttons included', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: `!run 3.11\n${py('print("one")')}` });
    const reply = await h.replyTo(source);
    h.fake.editMessage(source, { content: `!run 3.11\n${py('print("two")')}` });
    await h.fake.waitFor(() => (h.fake.state.messages.get(reply.id)?.content.includes('two') ? true : undefined));
    h.fake.editMessage(source, { content: `!run ${py('print("three")')}` });
    await h.fake.waitFor(() => (h.fake.state.messages.get(reply.id)?.content.includes('three') ? true : undefined));
    expect(calls(h)).toEqual([
      { code: 'print("one")', python: '3.11' },
      { code: 'print("two")', python: '3.11' },
      { code: 'print("three")' },
    ]);
    const edited = h.fake.state.messages.get(reply.id)!;
    expect(edited.content.split('\n')[0]).toMatch(/ · Python 3\.13\.0$/);
    expect(buttonRows(edited)).toEqual([['Run again', 'Run in 3.14', 'Run in 3.11', 'Delete']]);
  });

  it('"Run in 3.14" re-runs the code in 3.14, editing the result in place, whose buttons then offer the others', async () => {
    const h = await startHarness();
    const source = h.fake.sendMessage({ content: '!run print("hi")' });
    const reply = await h.replyTo(source);
    expect(buttonRows(reply)).toEqual([['Run again', 'Run in 3.14', 'Run in 3.11', 'Delete']]);
    await press(h, reply, buttonIds(reply)[1]!);

    const edited = h.fake.state.messages.get(reply.id)!;
    expect(edited.content).toMatch(/^✅ done in [\d.]+ s · Python 3\.14\.0\n```\nhi\n```$/);
    expect(buttonRows(edited)).toEqual([['Run again', 'Run in 3.13', 'Run in 3.11', 'Delete']]);
    // No second message: the result the button sits on was edited.
    expect(h.fake.requestsMatching({ method: 'POST', path: `/channels/${h.fake.channelId}/messages` })).toHaveLength(1);

    // "Run again" stays in 3.14; "Run in 3.13" goes back.
    await press(h, edited, buttonIds(edited)[0]!);
    await press(h, edited, buttonIds(edited)[1]!);
    expect(calls(h).map((call) => call.python)).toEqual([undefined, '3.14', '3.14', '3.13']);
    expect(h.fake.state.messages.get(reply.id)!.content.split('\n')[0]).toMatch(/ · Python 3\.13\.0$/);
  });

  it('a timing stays a timing in another version', async () => {
    const h = await startHarness({ sandbox: timingSandbox() });
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!timeit 3.11 sum(range(100))' }));
    expect(reply.content.split('\n')).toEqual([expect.stringMatching(/ · Python 3\.11\.0$/), '```', TIMEIT_SUMMARY, '```']);
    expect(buttonRows(reply)).toEqual([['Run again', 'Run in 3.13', 'Run in 3.14', 'Delete']]);
    await press(h, reply, buttonIds(reply)[2]!);
    const timed = { code: 'sum(range(100))', timeit: { setup: '' } };
    expect(calls(h)).toEqual([
      { ...timed, python: '3.11' },
      { ...timed, python: '3.14' },
    ]);
    expect(h.fake.state.messages.get(reply.id)?.content).toContain(TIMEIT_SUMMARY);
  });

  it('refuses a version not offered, naming those that are; a version alone is no code', async () => {
    const h = await startHarness();
    const refused = await h.replyTo(h.fake.sendMessage({ content: '!run 3.12 print(1)' }));
    expect(refused.content).toBe("Not run: Python 3.12 isn't offered here: choose 3.13, 3.14 or 3.11 (3.13 is the default).");
    expect(refused.components).toEqual([]);
    const alone = await h.replyTo(h.fake.sendMessage({ content: '!run 3.14' }));
    expect(alone.content).toMatch(/^No code found\. Put your code in a block/);
    expect(calls(h)).toEqual([]);
  });

  it('/run and /timeit take the version option, the editor keeps it, and so does "Run again"', async () => {
    const h = await startHarness();
    const command = h.fake.slashCommand({ name: 'run', options: { code: 'print("slash")', version: '3.11' } });
    const response = await h.responseTo(command);
    expect(response.content.split('\n')[0]).toMatch(/ · Python 3\.11\.0$/);
    await press(h, response, buttonIds(response)[0]!);

    const editor = h.fake.slashCommand({ name: 'timeit', options: { version: '3.14' } });
    expect((await editor.waitForCallback()).body.type).toBe(9);
    const submitted = await h.responseTo(h.fake.modalSubmit({ from: editor, fields: { code: 'sum(range(9))' } }));
    expect(submitted.content.split('\n')[0]).toMatch(/ · Python 3\.14\.0$/);
    await press(h, submitted, buttonIds(submitted)[0]!);

    // Typed the way the other platforms take it: the version first, in the code option.
    await h.responseTo(h.fake.slashCommand({ name: 'run', options: { code: '3.14 print("typed")' } }));
    expect(calls(h)).toEqual([
      { code: 'print("slash")', python: '3.11' },
      { code: 'print("slash")', python: '3.11' },
      { code: 'sum(range(9))', timeit: { setup: '' }, python: '3.14' },
      { code: 'sum(range(9))', timeit: { setup: '' }, python: '3.14' },
      { code: 'print("typed")', python: '3.14' },
    ]);
  });

  it('with one Python offered, no "Run in" buttons', async () => {
    const h = await startHarness({ env: { SANDBOX_PYTHONS: '3.13' } });
    const reply = await h.replyTo(h.fake.sendMessage({ content: '!run print("hi")' }));
    expect(reply.content.split('\n')[0]).toMatch(/ · Python 3\.13\.0$/);
    expect(buttonRows(reply)).toEqual([['Run again', 'Delete']]);
  });
});

describe('resultButtons', () => {
  it('starts a second row after five buttons, and keeps every custom_id within 100 characters', () => {
    const versions = ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14'];
    const snowflake = '1'.repeat(20);
    const rows = resultButtons({ source: { kind: 'message', id: snowflake }, owner: snowflake }, versions)('3.13');
    const buttons = rows.map((row) => row.toJSON().components as Array<{ label: string; custom_id: string }>);
    expect(buttons.map((row) => row.map((button) => button.label))).toEqual([
      ['Run again', 'Run in 3.9', 'Run in 3.10', 'Run in 3.11', 'Run in 3.12'],
      ['Run in 3.14', 'Delete'],
    ]);
    for (const { custom_id } of buttons.flat()) expect(custom_id.length).toBeLessThanOrEqual(100);
  });
});
