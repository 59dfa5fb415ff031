import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SandboxPort } from '../../src/evaluator.js';
import { DEFAULT_CHANNEL, DEFAULT_DM, type FileSpec } from '../fakes/slack/index.js';
import { leftovers, makeRunner } from '../support/sandbox.js';
import { blockText, startSlackBot, WAIT_MS, type SlackBot } from './harness.js';

/**
 * Files on Slack, for real: fake Slack → the real Bolt app → Docker (runc). Out: a reply whose
 * thread carries the files the program left; a re-run replaces them. In: files attached to the
 * message with the code are downloaded (with the bot token) into the run's working directory.
 */
describe('Slack files with the real sandbox', () => {
  // Plotting and pandas import for a second or more, more on a busy host: not a test of the time limit.
  const runner = makeRunner('runc', { timeoutS: 20 });
  let bot: SlackBot;
  /** How many runs reached the sandbox: a refused one never does. */
  let runs = 0;
  const counted: SandboxPort = {
    run: (input, options) => {
      runs += 1;
      return runner.run(input, options);
    },
  };
  const CSV: FileSpec = { name: 'data.csv', content: 'name,n\na,1\nb,2\n' };
  const SUM_CSV = 'import csv\nrows = list(csv.DictReader(open("data.csv")))\nprint(sum(int(row["n"]) for row in rows))';

  /** The first reply the bot posted (the result, or the notice refusing the run). */
  const firstReply = () => bot.fake.waitForCall('chat.postMessage', undefined, 30_000);

  afterEach(async () => {
    await bot?.stop();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('a plot is uploaded into the reply’s thread; an edit deletes it and uploads the new run’s files', async () => {
    bot = await startSlackBot({ sandbox: runner });
    const code = 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()';
    const mention = bot.fake.payloads.appMention({ text: `\`\`\`${code}\`\`\`` });
    await bot.deliver(mention);
    const upload = await bot.fake.waitForCall('files.completeUploadExternal', undefined, 30_000);
    const posted = bot.fake.callsTo('chat.postMessage')[0];
    const replyTs = (posted?.response as { ts: string }).ts;
    expect(upload.args).toMatchObject({ channel_id: DEFAULT_CHANNEL, thread_ts: mention.event.ts });
    const plots = [...bot.fake.store.files.values()];
    expect(plots.map((file) => file.name)).toEqual(['figure-1.png']);
    expect(plots[0]?.data?.subarray(1, 4).toString()).toBe('PNG');

    const edited = 'open("table.csv", "w").write("a,b\\n" * 200)';
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: String(mention.event.ts), text: `<@${bot.fake.team.botUserId}> \`\`\`${edited}\`\`\``, oldText: '' }));
    await bot.fake.waitForCall('files.delete', undefined, 30_000);
    await bot.fake.waitForCall('files.completeUploadExternal', (call) => bot.fake.callsTo('files.completeUploadExternal').indexOf(call) === 1, WAIT_MS);
    expect([...bot.fake.store.files.values()].map((file) => file.name)).toEqual(['table.csv']);
    expect(bot.fake.store.find(DEFAULT_CHANNEL, replyTs)?.text).toMatch(/^✅ done in /);
  });

  it('a CSV attached to a mention is in the working directory: the code reads it', async () => {
    bot = await startSlackBot({ sandbox: runner });
    const mention = bot.fake.payloads.appMention({ text: `please\n\`\`\`py\n${SUM_CSV}\n\`\`\``, files: [CSV] });
    await bot.deliver(mention);
    const reply = await firstReply();
    expect(reply.args).toMatchObject({ channel: DEFAULT_CHANNEL, thread_ts: mention.event.ts });
    expect(reply.args.text).toMatch(/^✅ done in .+\n```\n3\n```$/);
    // Fetched from Slack's private link, with the bot token.
    expect(bot.fake.callsTo('url_private').map((call) => [call.status, call.token])).toEqual([[200, bot.fake.team.botToken]]);
  });

  it('a DM with code and a CSV attached (a file_share message) runs, pandas reading the CSV', async () => {
    bot = await startSlackBot({ sandbox: runner });
    const code = 'import pandas as pd\nprint(pd.read_csv("data.csv")["n"].sum() * 7)';
    const dm = bot.fake.payloads.dmMessage({ text: `\`\`\`${code}\`\`\``, files: [CSV] });
    expect(dm.event.subtype).toBe('file_share');
    await bot.deliver(dm);
    const reply = await firstReply();
    expect(reply.args).toMatchObject({ channel: DEFAULT_DM, thread_ts: dm.event.ts });
    expect(reply.args.text).toMatch(/^✅ done in .+\n```\n21\n```$/);
  });

  it('an attachment over the limit refuses the run, saying which and why, and nothing is downloaded or run', async () => {
    bot = await startSlackBot({ sandbox: counted, env: { SANDBOX_FILE_KB: '1' } });
    runs = 0;
    await bot.deliver(bot.fake.payloads.appMention({ text: '```print(1)```', files: [{ name: 'big.csv', content: 'x'.repeat(2048) }] }));
    const reply = await firstReply();
    expect(blockText(reply)).toBe('Not run: big.csv is 2 KiB, over the limit of 1 KiB per file.');
    expect(bot.fake.callsTo('url_private')).toEqual([]);
    expect(runs).toBe(0);
  });

  it('a file Slack won’t hand over refuses the run with the download’s failure, and nothing runs', async () => {
    bot = await startSlackBot({ sandbox: counted });
    runs = 0;
    bot.fake.injectFault('url_private', { error: 'file_not_found', status: 404 });
    await bot.deliver(bot.fake.payloads.appMention({ text: `\`\`\`${SUM_CSV}\`\`\``, files: [CSV] }));
    const reply = await firstReply();
    expect(blockText(reply)).toBe('Not run: the attached file data.csv could not be downloaded (Slack answered 404). Try again, or attach it again.');
    expect(runs).toBe(0);
  });
});
