import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startBot, StartError, type RunningBot } from '../../src/main.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';
import { startFakeSlack } from '../fakes/slack/index.js';
import { FakeSandbox } from '../support/fake-sandbox.js';
import { call, startService } from '../support/runner-service.js';

/**
 * The bot's own /healthz and /metrics (MONITORING_PORT), over real HTTP, on the real bot
 * (startBot): the real discord.js Client or Bolt App against the fake platforms, and the real
 * RemoteSandbox against real runner services, whose sandbox alone is fake. One test runs on the
 * local Docker engine.
 */

interface TestBot {
  bot: RunningBot;
  url: string;
  logs: string[];
}

/** startBot on `env` (no process environment), logs kept; stopped when the test finishes. */
async function startTestBot(env: Record<string, string>): Promise<TestBot> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const bot = await startBot(loadConfig({ SANDBOX_TIMEOUT_S: '2', ...env }), undefined, createLogger('debug', sink));
  onTestFinished(() => bot.stop().then(() => undefined));
  return { bot, url: bot.monitoringUrl ?? '', logs };
}

async function fakeDiscord(): Promise<FakeDiscord> {
  const fake = await startFakeDiscord();
  onTestFinished(() => fake.close());
  return fake;
}

/** A runner service (`sandpiper runner`) on a fake sandbox; closed when the test finishes. */
async function runner(): Promise<string> {
  const service = await startService(new FakeSandbox());
  onTestFinished(() => service.close());
  return service.url;
}

/** A URL nothing listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function discordEnv(fake: FakeDiscord, runners: string[]): Record<string, string> {
  return { DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, SANDBOX_RUNNERS: runners.join(','), MONITORING_PORT: '0' };
}

/** The value of one sample line of the Prometheus text (`name{labels}`), or undefined if absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Polls `url` until its status is `status` (within 10 s); the last answer. */
async function untilStatus(url: string, status: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call(url);
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the bot on Discord, on runners, with MONITORING_PORT', () => {
  it('/healthz is 200 with Discord connected, /metrics counts runs and refusals by platform and outcome, and a lost gateway turns /healthz 503 naming Discord', async () => {
    const fake = await fakeDiscord();
    const runnerUrl = await runner();
    const { url, logs } = await startTestBot(discordEnv(fake, [runnerUrl]));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(logs.join('')).toContain(`"url":"${url}","msg":"monitoring: GET /healthz and GET /metrics are served"`);

    const healthy = await call(`${url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(healthy.body).toEqual({
      status: 'ok',
      platforms: { discord: { up: true } },
      sandbox: { kind: 'runners', ok: true, runners: [{ url: runnerUrl, up: true, outstanding: 0 }] },
    });

    const ran = fake.sendMessage({ content: "!run print('hi')" });
    expect((await fake.waitForBotMessage((m) => m.message_reference?.message_id === ran.id)).content).toContain('hi');
    const refused = fake.sendMessage({ content: '!run 3.12 print(1)' });
    expect((await fake.waitForBotMessage((m) => m.message_reference?.message_id === refused.id)).content).toContain("isn't offered");

    const metrics = await call(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = String(metrics.body);
    expect(sample(text, 'sandpiper_bot_requests_total{platform="discord",outcome="ok"}')).toBe(1);
    expect(sample(text, 'sandpiper_bot_requests_total{platform="discord",outcome="refused",reason="python"}')).toBe(1);
    expect(sample(text, 'sandpiper_bot_answer_duration_seconds_count{platform="discord"}')).toBe(1);
    expect(sample(text, 'sandpiper_bot_platform_connected{platform="discord"}')).toBe(1);
    expect(sample(text, `sandpiper_bot_runner_up{runner="${runnerUrl}"}`)).toBe(1);
    expect(sample(text, `sandpiper_bot_runner_outstanding_runs{runner="${runnerUrl}"}`)).toBe(0);
    expect(sample(text, 'sandpiper_bot_runs_in_progress')).toBe(0);
    expect(sample(text, 'sandpiper_bot_runs_waiting')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
    // No user, channel or code in any label.
    for (const secret of [fake.user.id, fake.channelId, "print('hi')"]) expect(text).not.toContain(secret);

    fake.gateway.holdUpgrades();
    fake.gateway.disconnect(); // discord.js reconnects, and that attempt hangs
    const down = await untilStatus(`${url}/healthz`, 503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.reasons).toEqual([expect.stringMatching(/^the Discord adapter: the gateway connection is /)]);
    expect(down.body.platforms.discord.up).toBe(false);
    expect(sample(String((await call(`${url}/metrics`)).body), 'sandpiper_bot_platform_connected{platform="discord"}')).toBe(0);
  });

  it('answers only GET /healthz and GET /metrics: 404 elsewhere, 405 for other methods, in JSON', async () => {
    const fake = await fakeDiscord();
    const { url } = await startTestBot(discordEnv(fake, [await runner()]));
    const missing = await call(`${url}/eval`);
    expect([missing.status, missing.body]).toEqual([404, { title: '404 Not Found', description: 'nothing at GET /eval: this server answers GET /healthz and GET /metrics' }]);
    const posted = await call(`${url}/healthz`, { method: 'POST' });
    expect([posted.status, posted.headers.get('allow'), posted.body]).toEqual([405, 'GET', { title: '405 Method Not Allowed', description: 'POST /healthz: only GET is answered here' }]);
    expect((await call(`${url}/metrics`, { method: 'DELETE' })).status).toBe(405);
  });

  it('one runner up and one unreachable: /healthz lists both and stays 200', async () => {
    const fake = await fakeDiscord();
    const [up, dead] = [await runner(), await deadUrl()];
    const { url } = await startTestBot(discordEnv(fake, [up, dead]));
    const health = await call(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body.sandbox).toEqual({
      kind: 'runners',
      ok: true,
      runners: [
        { url: up, up: true, outstanding: 0 },
        { url: dead, up: false, outstanding: 0, reason: 'unreachable (ECONNREFUSED)' },
      ],
    });
    const text = String((await call(`${url}/metrics`)).body);
    expect([sample(text, `sandpiper_bot_runner_up{runner="${up}"}`), sample(text, `sandpiper_bot_runner_up{runner="${dead}"}`)]).toEqual([1, 0]);
  });

  it('every runner unreachable: /healthz is 503 naming each', async () => {
    const fake = await fakeDiscord();
    const [a, b] = [await deadUrl(), await deadUrl()];
    const { url } = await startTestBot(discordEnv(fake, [a, b]));
    const health = await call(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.body.reasons).toEqual([`the sandbox: no runner is up (${a}: unreachable (ECONNREFUSED); ${b}: unreachable (ECONNREFUSED))`]);
    expect(health.body.platforms).toEqual({ discord: { up: true } });
  });
});

describe('the bot on Slack', () => {
  it('Socket Mode: 200 while connected, 503 naming Slack once Slack is gone', async () => {
    const slack = await startFakeSlack();
    onTestFinished(() => slack.close());
    const { url } = await startTestBot({
      SLACK_BOT_TOKEN: slack.team.botToken,
      SLACK_APP_TOKEN: slack.team.appToken,
      SLACK_API_URL: slack.apiUrl,
      SANDBOX_RUNNERS: await runner(),
      MONITORING_PORT: '0',
    });
    const health = await call(`${url}/healthz`);
    expect([health.status, health.body.platforms]).toEqual([200, { slack: { up: true } }]);
    await slack.socket.close(); // the socket drops, and reconnecting finds no Socket Mode server
    const down = await untilStatus(`${url}/healthz`, 503);
    expect([down.status, down.body.reasons]).toEqual([503, [expect.stringMatching(/^the Slack adapter: Socket Mode is (reconnecting|disconnected|connecting)$/)]]);
  });

  it('HTTP mode: 200 while it listens for Slack', async () => {
    const slack = await startFakeSlack();
    onTestFinished(() => slack.close());
    const { url } = await startTestBot({
      SLACK_BOT_TOKEN: slack.team.botToken,
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_PORT: '0',
      SLACK_API_URL: slack.apiUrl,
      SANDBOX_RUNNERS: await runner(),
      MONITORING_PORT: '0',
    });
    const health = await call(`${url}/healthz`);
    expect([health.status, health.body.platforms]).toEqual([200, { slack: { up: true } }]);
  });
});

describe('on the local Docker engine', () => {
  it('/healthz says code can run: with no warm sandbox, a probe run worked', async () => {
    const fake = await fakeDiscord();
    const { url } = await startTestBot({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, SANDBOX_PYTHONS: '3.13', SANDBOX_POOL_SIZE: '0', MONITORING_PORT: '0' });
    const health = await call(`${url}/healthz`);
    expect([health.status, health.body.sandbox]).toEqual([200, { kind: 'docker', ok: true, warm: 0, probedAgoS: 0 }]);
  });
});

describe('starting and stopping', () => {
  it('is off by default: no URL, no monitoring log line', async () => {
    const fake = await fakeDiscord();
    const { bot, logs } = await startTestBot({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, SANDBOX_RUNNERS: await runner() });
    expect(bot.monitoringUrl).toBeUndefined();
    expect(logs.join('')).toContain('adapter started');
    expect(logs.join('')).not.toContain('monitoring');
  });

  it('a stop closes the server', async () => {
    const fake = await fakeDiscord();
    const { bot, url } = await startTestBot(discordEnv(fake, [await runner()]));
    expect((await call(`${url}/healthz`)).status).toBe(200);
    expect(await bot.stop()).toBe(true);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('a port already taken fails the start naming the monitoring server, and closes what was started', async () => {
    const fake = await fakeDiscord();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = String((taken.address() as AddressInfo).port);
    const started = startTestBot({ ...discordEnv(fake, [await runner()]), MONITORING_PORT: port });
    await expect(started).rejects.toBeInstanceOf(StartError);
    await expect(started).rejects.toThrow(`could not start the monitoring server on 127.0.0.1:${port} (MONITORING_HOST, MONITORING_PORT): listen EADDRINUSE`);
    expect(fake.gateway.openConnections).toBe(0);
  });
});
