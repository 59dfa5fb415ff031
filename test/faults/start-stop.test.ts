import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LABEL_OWNER, LABEL_SANDBOX } from '../../sandbox/labels.js';
import { startFakeDiscord } from '../fakes/discord/server.js';
import { startFakeSlack } from '../fakes/slack/index.js';
import { docker } from '../support/sandbox.js';

/**
 * The bot as a process, the way an operator runs it (`sandpiper start`): a stop must end within a
 * bounded time whatever the platforms do, and a start that fails half-way must close what it
 * opened, say which part failed and exit non-zero.
 */

const BIN = fileURLToPath(new URL('../../bin/sandpiper.js', import.meta.url));
const TIMEOUT_S = 3;

interface Bot {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  waitForLog(text: string, timeoutMs?: number): Promise<void>;
}

function startBot(env: Record<string, string>): Bot {
  const child = spawn(process.execPath, [BIN, 'start'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SANDBOX_TIMEOUT_S: String(TIMEOUT_S), SANDBOX_POOL_SIZE: '2', LOG_LEVEL: 'info', ...env },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, atMs: performance.now() })),
  );
  onTestFinished(() => void child.kill('SIGKILL'));
  return {
    child,
    stderr: () => stderr,
    exited,
    async waitForLog(text, timeoutMs = 30_000) {
      for (const deadline = Date.now() + timeoutMs; !stderr.includes(text); await sleep(20)) {
        if (Date.now() > deadline) throw new Error(`no log line contains ${JSON.stringify(text)}; stderr:\n${stderr}`);
      }
    },
  };
}

async function containersOf(pid: number): Promise<string[]> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
  return all.filter((c) => c.Labels[LABEL_OWNER]?.endsWith(`:${pid}`)).map((c) => c.Id);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('sandpiper start, as a process', () => {
  it('SIGTERM while Discord is gone and a run is going: the bot exits within the run timeout plus a few seconds, leaving no container', async () => {
    const fake = await startFakeDiscord();
    onTestFinished(() => fake.close());
    const bot = startBot({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl });
    await bot.waitForLog('connected to Discord');
    fake.sendMessage({ content: '!run ```py\nimport time\ntime.sleep(60)\n```' });
    fake.sendMessage({ content: '!run ```py\nprint("waiting behind it")\n```' });
    await fake.waitForRequest({ method: 'PUT', path: /\/reactions\// }, 10_000); // ⏳: the first run was admitted

    await fake.close(); // Discord goes away: gateway and REST
    const signalledAt = performance.now();
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    const seconds = (exit.atMs - signalledAt) / 1000;
    expect(exit.signal).toBeNull();
    expect(seconds).toBeLessThan(TIMEOUT_S + 10);
    const left = await containersOf(bot.child.pid!);
    expect({ code: exit.code, left }, bot.stderr()).toEqual({ code: 0, left: [] });
  }, 90_000);

  it('SIGTERM while the gateway connection is being re-made: its later failure does not crash the stop', async () => {
    const fake = await startFakeDiscord();
    onTestFinished(() => fake.close());
    const bot = startBot({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl });
    await bot.waitForLog('connected to Discord');
    fake.gateway.holdUpgrades();
    fake.gateway.disconnect(); // discord.js reconnects, and that attempt hangs
    await fake.waitFor(() => fake.gateway.heldUpgrades > 0 || undefined, 10_000, 'a reconnect attempt');

    bot.child.kill('SIGTERM');
    await bot.waitForLog('"msg":"stopped"');
    fake.gateway.failHeldUpgrades(); // the attempt the stop abandoned fails now, before the process ends
    const exit = await bot.exited;
    expect({ code: exit.code, signal: exit.signal }, bot.stderr()).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).not.toContain('Unhandled');
  }, 60_000);

  it('a Discord that cannot be reached: the start fails naming Discord (not Docker), exits 1, leaves no container', async () => {
    const port = await closedPort();
    const bot = startBot({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
    const exit = await bot.exited;
    expect(exit.code).toBe(1);
    expect(bot.stderr()).toMatch(/sandpiper: could not start the Discord adapter: .*127\.0\.0\.1/);
    expect(bot.stderr()).not.toContain('Docker is not reachable');
    expect(await containersOf(bot.child.pid!)).toEqual([]);
  }, 90_000);

  it('Slack refusing its token after Discord connected: Discord is disconnected again, exit 1, no container left', async () => {
    const discord = await startFakeDiscord();
    onTestFinished(() => discord.close());
    const slack = await startFakeSlack();
    onTestFinished(() => slack.close());
    const bot = startBot({
      DISCORD_TOKEN: 'fake-token',
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: 'xoxb-revoked-token',
      SLACK_APP_TOKEN: slack.team.appToken,
      SLACK_API_URL: slack.apiUrl,
    });
    const exit = await bot.exited;
    expect(exit.code).toBe(1);
    expect(bot.stderr()).toContain('connected to Discord');
    expect(bot.stderr()).toMatch(/sandpiper: could not start the Slack adapter: Slack refused SLACK_BOT_TOKEN/);
    expect(discord.gateway.openConnections).toBe(0);
    expect(await containersOf(bot.child.pid!)).toEqual([]);
  }, 90_000);
});
