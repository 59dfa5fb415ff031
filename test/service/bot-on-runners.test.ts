import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeDiscord } from '../fakes/discord/server.js';
import { startFakeSlack } from '../fakes/slack/index.js';
import { BIN } from '../support/cli.js';
import { FakeSandbox, printedStrings } from '../support/fake-sandbox.js';
import { startService } from '../support/runner-service.js';

/**
 * `sandpiper start` as an operator runs it on a host without Docker: SANDBOX_RUNNERS names a
 * runner service (real HTTP, a fake sandbox behind it), DOCKER_HOST points nowhere, and the real
 * discord.js and Bolt clients talk to the fake Discord and Slack. Both answer through the runner.
 */

const TOKEN = 'a-runner-token-of-some-length';
const LOADING = 1 << 7;

describe('the bot on a runner, with no Docker engine', { timeout: 60_000 }, () => {
  it('answers on Discord and on Slack', async () => {
    const sandbox = new FakeSandbox(printedStrings);
    const runner = await startService(sandbox, { RUNNER_TOKEN: TOKEN });
    const [discord, slack] = [await startFakeDiscord(), await startFakeSlack()];
    const bot = spawn(process.execPath, [BIN, 'start'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        LOG_LEVEL: 'info',
        SANDBOX_RUNNERS: runner.url,
        RUNNER_TOKEN: TOKEN,
        DOCKER_HOST: 'unix:///nowhere/docker.sock',
        DISCORD_TOKEN: 'fake-token',
        DISCORD_API_URL: discord.apiUrl,
        SLACK_BOT_TOKEN: slack.team.botToken,
        SLACK_APP_TOKEN: slack.team.appToken,
        SLACK_API_URL: slack.apiUrl,
      },
    });
    let stderr = '';
    bot.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    onTestFinished(async () => {
      bot.kill('SIGKILL');
      await Promise.all([runner.close(), discord.close(), slack.close()]);
    });
    await expect.poll(() => (stderr.match(/adapter started/g) ?? []).length, { timeout: 30_000 }).toBe(2);

    discord.sendMessage({ content: '!run ```py\nprint("hello from discord")\n```' });
    const onDiscord = await discord.waitForBotMessage((message) => (message.flags & LOADING) === 0 && message.content.includes('hello from discord'), 15_000);
    expect(onDiscord.content).toMatch(/^✅ done in [\d.]+ s · Python 3\.13\.0\n```\nhello from discord\n```$/);

    await slack.waitForAck(slack.sendEvent(slack.payloads.appMention({ text: '```print("hello from slack")```' })).envelope_id);
    const onSlack = await slack.waitForCall('chat.postMessage', (call) => String(call.args.text).includes('hello from slack'), 15_000);
    expect(String(onSlack.args.text)).toContain('hello from slack');

    expect(sandbox.calls.map((input) => input.code).filter((code) => code !== "print('ok')")).toEqual(['print("hello from discord")', 'print("hello from slack")']);
    // DOCKER_HOST was never tried, and nothing went wrong on the way.
    expect(stderr).not.toContain('nowhere');
    expect(stderr.split('\n').filter((line) => /"level":[4-6]\d/.test(line))).toEqual([]);
  });
});
