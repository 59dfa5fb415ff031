import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config.js';
import { defaultImageTag } from '../../sandbox/image/recipe.js';

describe('loadConfig', () => {
  it('works with no variables at all', () => {
    const config = loadConfig({});
    expect(config.sandbox).toEqual({
      image: defaultImageTag(),
      runtime: 'runc',
      limits: { timeoutS: 5, memoryMb: 128, pids: 64, cpus: 1, tmpfsMb: 16, outputKb: 64 },
      maxCodeBytes: 64 * 1024,
      poolSize: 4,
    });
    expect(config.logLevel).toBeUndefined();
    expect(config.adapters).toEqual(['console']);
    expect(config.limiter).toMatchObject({ userRunsPerMinute: 10, userQueue: 2, queue: 50, runSeconds: 6 });
    expect(config.limiter.concurrency).toBeGreaterThanOrEqual(2);
  });

  it('reads every sandbox variable', () => {
    const config = loadConfig({
      SANDBOX_IMAGE: 'my/python:3.12',
      SANDBOX_RUNTIME: 'runsc',
      SANDBOX_TIMEOUT_S: '2.5',
      SANDBOX_MEMORY_MB: '256',
      SANDBOX_PIDS: '32',
      SANDBOX_CPUS: '0.5',
      SANDBOX_TMPFS_MB: '8',
      SANDBOX_OUTPUT_KB: '16',
      SANDBOX_MAX_CODE_KB: '128',
      SANDBOX_POOL_SIZE: '0',
      LOG_LEVEL: 'debug',
    });
    expect(config.sandbox).toEqual({
      image: 'my/python:3.12',
      runtime: 'runsc',
      limits: { timeoutS: 2.5, memoryMb: 256, pids: 32, cpus: 0.5, tmpfsMb: 8, outputKb: 16 },
      maxCodeBytes: 128 * 1024,
      poolSize: 0,
    });
    expect(config.logLevel).toBe('debug');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ SANDBOX_IMAGE: '', SANDBOX_TIMEOUT_S: ' ' }).sandbox.limits.timeoutS).toBe(5);
  });

  it('names every bad variable in one error', () => {
    const load = () => loadConfig({ SANDBOX_RUNTIME: 'kata', SANDBOX_MEMORY_MB: 'lots', SANDBOX_PIDS: '-1' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SANDBOX_RUNTIME[\s\S]*SANDBOX_MEMORY_MB[\s\S]*SANDBOX_PIDS/);
  });
});

describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);

  it('documents every variable the configuration reads, and nothing else', () => {
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('holds values that load as they are', () => {
    const values = Object.fromEntries([...example.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(() => loadConfig(values)).not.toThrow();
  });
});

describe('platform configuration', () => {
  it('starts Discord and/or Slack when their tokens are set, the console otherwise', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't' }).adapters).toEqual(['discord']);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_APP_TOKEN: 'xapp' }).adapters).toEqual(['slack']);
    expect(loadConfig({ DISCORD_TOKEN: 't', SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 's' }).adapters).toEqual([
      'discord',
      'slack',
    ]);
  });

  it('reads the Discord settings', () => {
    const { discord } = loadConfig({
      DISCORD_TOKEN: 'secret',
      DISCORD_APPLICATION_ID: '123',
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      DISCORD_DMS: 'off',
      DISCORD_GUILDS: '1, 2,,3',
      DISCORD_EDIT_WINDOW_S: '60',
    });
    expect(discord).toEqual({
      token: 'secret',
      applicationId: '123',
      apiUrl: 'http://127.0.0.1:9/api',
      prefix: '!run',
      runEmoji: '▶️',
      dms: false,
      guilds: ['1', '2', '3'],
      channels: [],
      editWindowMs: 60_000,
    });
  });

  it('needs a Slack app token or a signing secret with the bot token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb' })).toThrow(/SLACK_APP_TOKEN.*SLACK_SIGNING_SECRET/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({
      appToken: undefined,
      signingSecret: 's',
      port: 3000,
      apiUrl: 'https://slack.com/api/',
      runReaction: 'arrow_forward',
    });
  });
});
