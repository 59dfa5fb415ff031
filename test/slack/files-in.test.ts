import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunInput } from '../../sandbox/runner.js';
import { DEFAULT_CHANNEL, DEFAULT_DM, type FileSpec } from '../fakes/slack/index.js';
import { blockText, startSlackBot, WAIT_MS, type SlackBot } from './harness.js';

/**
 * Files in on Slack, trigger by trigger (the real Bolt app and Answers, a fake sandbox that records
 * what each run was given): the files of the message that holds the code go with its run.
 * test/slack/files.test.ts runs them in the real sandbox.
 */

const CSV: FileSpec = { name: 'data.csv', content: 'n\n1\n2\n' };

/** The files a run was given, as name and text. */
function filesOf(run: RunInput | undefined): string[][] | undefined {
  return run?.files?.map((file) => [file.name, Buffer.from(file.bytes).toString()]);
}

describe('Slack: files attached to the message reach the run', () => {
  let bot: SlackBot;

  afterEach(async () => {
    await bot?.stop();
  });

  it('the ▶ reaction passes the files of the message it runs: one the bot saw, and one it reads back from Slack', async () => {
    bot = await startSlackBot();
    const seen = bot.fake.payloads.channelMessage({ text: '```print("seen")```', files: [CSV] });
    await bot.deliver(seen);
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: String(seen.event.ts) }));
    await bot.posted('ran print("seen")');
    expect(filesOf(bot.sandbox.calls[0])).toEqual([['data.csv', 'n\n1\n2\n']]);

    const file = bot.fake.shareFile({ name: 'notes.txt', content: 'from history' });
    const unseen = bot.fake.store.add(DEFAULT_CHANNEL, { user: bot.fake.team.userId, text: '```print("unseen")```', files: [file] });
    await bot.deliver(bot.fake.payloads.reactionAdded({ reaction: 'arrow_forward', ts: unseen.ts }));
    await bot.posted('ran print("unseen")');
    expect(bot.fake.callsTo('conversations.history')).toHaveLength(1);
    expect(filesOf(bot.sandbox.calls[1])).toEqual([['notes.txt', 'from history']]);
    // Downloaded with the bot token, from url_private_download.
    expect(bot.fake.callsTo('url_private').map((call) => [call.token, call.args.download])).toEqual([
      [bot.fake.team.botToken, true],
      [bot.fake.team.botToken, true],
    ]);
  });

  it('the "Run Python" shortcut passes the message’s files', async () => {
    bot = await startSlackBot();
    const shortcut = bot.fake.payloads.messageShortcut({ callbackId: 'run_python', text: 'print(open("data.csv").read())', files: [CSV] });
    bot.fake.sendInteractive(shortcut);
    await bot.posted('ran print(open("data.csv").read())');
    expect(filesOf(bot.sandbox.calls[0])).toEqual([['data.csv', 'n\n1\n2\n']]);
  });

  it('an edit re-runs with the message’s files, downloaded again', async () => {
    bot = await startSlackBot();
    const mention = bot.fake.payloads.appMention({ text: '```print(1)```', files: [CSV] });
    await bot.deliver(mention);
    await bot.posted('ran print(1)');
    const text = `<@${bot.fake.team.botUserId}> \`\`\`print(2)\`\`\``;
    await bot.deliver(bot.fake.payloads.messageChanged({ ts: String(mention.event.ts), text, oldText: String(mention.event.text) }));
    const update = await bot.fake.waitForCall('chat.update', undefined, WAIT_MS);
    expect(blockText(update)).toContain('ran print(2)');
    expect(bot.sandbox.calls.map(filesOf)).toEqual([[['data.csv', 'n\n1\n2\n']], [['data.csv', 'n\n1\n2\n']]]);
    expect(bot.fake.callsTo('url_private')).toHaveLength(2);
  });

  it('files shared in a DM by a bot (this one’s reply files, or another bot’s) are not read as requests', async () => {
    bot = await startSlackBot();
    const output = [{ name: 'output.txt', content: 'x\n' }];
    // As Slack shows the bot's upload into a DM thread: a file_share message from its own user.
    await bot.deliver(bot.fake.payloads.dmMessage({ text: '', user: bot.fake.team.botUserId, files: output }));
    const other = bot.fake.payloads.dmMessage({ text: '```print("from a bot")```', user: 'U0OTHERBOT', files: output });
    await bot.deliver(bot.fake.payloads.eventCallback({ ...other.event, bot_id: 'B0OTHERBOT' }));
    const dm = bot.fake.payloads.dmMessage({ text: '```print("next")```' });
    await bot.deliver(dm);
    await bot.posted('ran print("next")');
    expect(bot.fake.callsTo('chat.postMessage')).toHaveLength(1); // no how-to answering the upload, no run
    expect(bot.sandbox.calls).toHaveLength(1);
  });

  it('a file link that is not Slack’s refuses the run, and the token goes nowhere', async () => {
    const elsewhere = await recordingServer();
    try {
      bot = await startSlackBot();
      const dm = bot.fake.payloads.dmMessage({ text: '```print("x")```', files: [CSV] });
      const [file] = dm.event.files as Record<string, unknown>[];
      Object.assign(file ?? {}, { url_private: `${elsewhere.url}/data.csv`, url_private_download: `${elsewhere.url}/download/data.csv` });
      await bot.deliver(dm);
      const notice = await bot.posted('Not run');
      expect(notice.args).toMatchObject({ channel: DEFAULT_DM, thread_ts: dm.event.ts });
      expect(blockText(notice)).toBe(
        `Not run: the attached file data.csv could not be downloaded (it is on ${new URL(elsewhere.url).host}, not on Slack, and the bot's token goes only to Slack). Try again, or attach it again.`,
      );
      expect(elsewhere.requests).toEqual([]);
      expect(bot.sandbox.calls).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});

/** A server on another port: not the fake Slack's origin. Records every request that reaches it. */
async function recordingServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'text/csv' }).end('n\n1\n2\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
