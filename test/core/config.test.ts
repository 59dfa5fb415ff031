import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config.js';
import { builtInImage } from '../../sandbox/image/recipe.js';

describe('loadConfig', () => {
  it('works with no variables at all', () => {
    const config = loadConfig({});
    expect(config.sandbox).toEqual({
      pythons: [
        { version: '3.13', image: builtInImage('3.13') },
        { version: '3.14', image: builtInImage('3.14') },
        { version: '3.11', image: builtInImage('3.11') },
      ],
      runtime: 'runc',
      limits: {
        timeoutS: 5,
        memoryMb: 128,
        pids: 64,
        cpus: 1,
        tmpfsMb: 16,
        outputKb: 64,
        files: { count: 10, fileKb: 8192, totalKb: 8192, collectS: 1 },
      },
      maxCodeBytes: 64 * 1024,
      poolSize: 4,
      preimport: [],
      runners: [],
    });
    expect(config.logLevel).toBeUndefined();
    expect(config.warnings).toEqual([]);
    expect(config.adapters).toEqual(['console']);
    expect(config.monitoring).toBeNull(); // off unless MONITORING_PORT is set
    expect(config.limiter).toMatchObject({ userRunsPerMinute: 10, userQueue: 2, queue: 50, runSeconds: 6 });
    expect(config.limiter.concurrency).toBeGreaterThanOrEqual(2);
  });

  it('reads every sandbox variable', () => {
    const config = loadConfig({
      SANDBOX_IMAGE: 'my/python:3.12',
      SANDBOX_PYTHONS: '3.12',
      SANDBOX_RUNTIME: 'runsc',
      SANDBOX_TIMEOUT_S: '2.5',
      SANDBOX_MEMORY_MB: '256',
      SANDBOX_PIDS: '32',
      SANDBOX_CPUS: '0.5',
      SANDBOX_TMPFS_MB: '8',
      SANDBOX_OUTPUT_KB: '16',
      SANDBOX_MAX_CODE_KB: '128',
      SANDBOX_FILES: '3',
      SANDBOX_FILE_KB: '100',
      SANDBOX_FILES_TOTAL_KB: '200',
      SANDBOX_FILES_COLLECT_S: '0.5',
      SANDBOX_POOL_SIZE: '0',
      SANDBOX_POOL_PREIMPORT: 'numpy, matplotlib.pyplot',
      SANDBOX_RUNNERS: 'http://runner-a:8060, https://runner-b.example/',
      LOG_LEVEL: 'debug',
    });
    expect(config.sandbox).toEqual({
      pythons: [{ version: '3.12', image: 'my/python:3.12' }],
      runtime: 'runsc',
      limits: {
        timeoutS: 2.5,
        memoryMb: 256,
        pids: 32,
        cpus: 0.5,
        tmpfsMb: 8,
        outputKb: 16,
        files: { count: 3, fileKb: 100, totalKb: 200, collectS: 0.5 },
      },
      maxCodeBytes: 128 * 1024,
      poolSize: 0,
      preimport: ['numpy', 'matplotlib.pyplot'],
      runners: ['http://runner-a:8060', 'https://runner-b.example/'],
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

/** The message loadConfig throws for these variables (fails the test when it doesn't throw). */
function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('SANDBOX_PYTHONS', () => {
  it('offers the built-in images of the versions named, the first as the default', () => {
    expect(loadConfig({ SANDBOX_PYTHONS: ' 3.14 ,3.11' }).sandbox.pythons).toEqual([
      { version: '3.14', image: builtInImage('3.14') },
      { version: '3.11', image: builtInImage('3.11') },
    ]);
    expect(builtInImage('3.14')).toMatch(/^sandpiper-python:3\.14-[0-9a-f]{12}$/);
  });

  it('refuses a version without a built-in image, naming those with one', () => {
    expect(configError({ SANDBOX_PYTHONS: '3.13,3.12' })).toContain(
      'SANDBOX_PYTHONS="3.13,3.12": 3.12 has no built-in image: expected versions among 3.11, 3.13 and 3.14 (or set SANDBOX_IMAGE to an image of your own)',
    );
    expect(configError({ SANDBOX_PYTHONS: '3.13,3.13' })).toContain('SANDBOX_PYTHONS="3.13,3.13": expected each version once');
    expect(configError({ SANDBOX_PYTHONS: 'python3' })).toContain('SANDBOX_PYTHONS="python3": expected Python versions like 3.13');
    expect(configError({ SANDBOX_PYTHONS: ',' })).toContain('expected at least one Python version');
  });

  it('names at most the one version of a custom SANDBOX_IMAGE', () => {
    expect(loadConfig({ SANDBOX_IMAGE: 'my/python' }).sandbox.pythons).toEqual([{ version: null, image: 'my/python' }]);
    expect(configError({ SANDBOX_IMAGE: 'my/python', SANDBOX_PYTHONS: '3.12,3.13' })).toContain(
      'SANDBOX_IMAGE is one image, so name at most one version (its own), or unset SANDBOX_IMAGE to offer the built-in 3.11, 3.13 and 3.14',
    );
  });
});

describe('bad values', () => {
  it('are echoed, with what was expected instead', () => {
    expect(configError({ SANDBOX_TIMEOUT_S: 'abc' })).toContain(
      'SANDBOX_TIMEOUT_S="abc": expected a number of seconds between 0.1 and 600',
    );
    expect(configError({ SANDBOX_MEMORY_MB: '1.5' })).toContain(
      'SANDBOX_MEMORY_MB="1.5": expected a whole number of MiB between 16 and 65536',
    );
    expect(configError({ SANDBOX_RUNTIME: 'kata' })).toContain('SANDBOX_RUNTIME="kata": expected runc or runsc');
    expect(configError({ DISCORD_DMS: 'maybe' })).toContain('DISCORD_DMS="maybe": expected true or false');
    expect(configError({ SLACK_API_URL: 'ftp://example.com' })).toContain(
      'SLACK_API_URL="ftp://example.com": expected an http:// or https:// URL',
    );
    expect(configError({ LOG_LEVEL: 'verbose' })).toContain('LOG_LEVEL="verbose": expected one of fatal, error, warn');
    expect(configError({ SANDBOX_RUNNERS: 'runner-a:8060' })).toContain('SANDBOX_RUNNERS="runner-a:8060": expected an http:// or https:// URL');
    // A secret is never echoed: the error may end up in a log.
    expect(configError({ RUNNER_TOKEN: 'short-secret' })).toContain('RUNNER_TOKEN=(hidden): expected a token of at least 16 characters');
    expect(configError({ RUNNER_TOKEN: 'short-secret' })).not.toContain('short-secret');
    expect(configError({ SANDBOX_POOL_PREIMPORT: 'numpy; import os' })).toContain(
      'SANDBOX_POOL_PREIMPORT="numpy; import os": expected module names separated by commas',
    );
  });

  it('take numbers only as plain decimals: no hex, exponent, sign or spaces', () => {
    for (const text of ['0x10', '1e3', ' 5 ', '5 ', '+5', '-1', '5s', '.5', '5.', 'Infinity', '1_000']) {
      expect(configError({ SANDBOX_TIMEOUT_S: text })).toContain(`SANDBOX_TIMEOUT_S=${JSON.stringify(text)}: expected`);
    }
    expect(loadConfig({ SANDBOX_TIMEOUT_S: '0.1' }).sandbox.limits.timeoutS).toBe(0.1);
    expect(loadConfig({ SANDBOX_TIMEOUT_S: '600' }).sandbox.limits.timeoutS).toBe(600);
    expect(loadConfig({ SANDBOX_TIMEOUT_S: '007.50' }).sandbox.limits.timeoutS).toBe(7.5);
  });

  it('are refused just outside their range', () => {
    expect(configError({ SANDBOX_TIMEOUT_S: '600.01' })).toContain('between 0.1 and 600');
    expect(configError({ SANDBOX_TIMEOUT_S: '0.09' })).toContain('between 0.1 and 600');
    expect(configError({ SANDBOX_PIDS: '7' })).toContain('SANDBOX_PIDS="7": expected a whole number of processes between 8 and 65536');
  });
});

describe('misspelled variables', () => {
  it('are an error under a Sandpiper prefix, with the setting that was probably meant', () => {
    expect(configError({ SANDBOX_TIMEOUT: '5' })).toContain(
      'SANDBOX_TIMEOUT is not a Sandpiper setting: did you mean SANDBOX_TIMEOUT_S?',
    );
    expect(configError({ SANDBOX_MEMORY: '256' })).toContain('did you mean SANDBOX_MEMORY_MB?'); // unit left out
    expect(configError({ SANDBOX_RUNTIEM: 'runsc' })).toContain('did you mean SANDBOX_RUNTIME?'); // swapped letters
    expect(configError({ sandbox_pids: '32' })).toContain('sandbox_pids is not a Sandpiper setting: did you mean SANDBOX_PIDS?');
    expect(configError({ DISCORD_GUILD: '1' })).toContain('did you mean DISCORD_GUILDS?');
    expect(configError({ SLACK_APP_TOKN: 'xapp' })).toContain('did you mean SLACK_APP_TOKEN?');
    expect(configError({ LIMIT_CONCURENCY: '4' })).toContain('did you mean LIMIT_CONCURRENCY?');
    expect(configError({ LIMIT_USER: '4' })).toContain('did you mean LIMIT_USER_RUNS_PER_MINUTE or LIMIT_USER_QUEUE?');
    // Monitoring would otherwise stay off without a word.
    expect(configError({ MONITORING_PROT: '9464' })).toContain('MONITORING_PROT is not a Sandpiper setting: did you mean MONITORING_PORT?');
  });

  it('are reported together with bad values', () => {
    const message = configError({ SANDBOX_TIMEOUT: '5', SANDBOX_CPUS: 'all' });
    expect(message).toMatch(/^invalid configuration:\n {2}SANDBOX_TIMEOUT is not[^\n]*\n {2}SANDBOX_CPUS="all": expected/);
  });

  it('are only a warning when the name could be another program\'s', () => {
    const config = loadConfig({
      LOG_LEVELS: 'debug', // LOG_ is shared with many programs: even a near miss only warns
      LOG_FORMAT: 'json',
      SLACK_WEBHOOK_URL: 'https://hooks.example.com/1',
      DISCORD_BOT_TOKEN: 'another bot',
      SANDBOX_ID: 'abc', // two edits from SANDBOX_PIDS, but that is all of its two letters
    });
    expect(config.warnings).toEqual([
      'LOG_LEVELS is not a Sandpiper setting (ignored): did you mean LOG_LEVEL?',
      'LOG_FORMAT is not a Sandpiper setting (ignored); .env.example lists them all',
      'SLACK_WEBHOOK_URL is not a Sandpiper setting (ignored); .env.example lists them all',
      'DISCORD_BOT_TOKEN is not a Sandpiper setting (ignored); .env.example lists them all',
      'SANDBOX_ID is not a Sandpiper setting (ignored); .env.example lists them all',
    ]);
    expect(config.logLevel).toBeUndefined();
  });

  it('leave other variables, and empty ones, alone', () => {
    const config = loadConfig({ PATH: '/usr/bin', HOME: '/root', CONTAINER_USER: 'x', LOGNAME: 'me', SANDBOX_TIMEOUT: '' });
    expect(config.warnings).toEqual([]);
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

describe('monitoring (MONITORING_HOST, MONITORING_PORT)', () => {
  it('serves on the port given, on 127.0.0.1 unless told otherwise; 0 picks a free port', () => {
    expect(loadConfig({ MONITORING_PORT: '9464' }).monitoring).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadConfig({ MONITORING_PORT: '0', MONITORING_HOST: '0.0.0.0' }).monitoring).toEqual({ host: '0.0.0.0', port: 0 });
    expect(loadConfig({ MONITORING_HOST: '0.0.0.0' }).monitoring).toBeNull(); // a host alone turns nothing on
  });

  it('refuses a port that is not one, saying what was expected', () => {
    expect(configError({ MONITORING_PORT: '65536' })).toContain('MONITORING_PORT="65536": expected a port number between 0 and 65535');
    expect(configError({ MONITORING_PORT: 'on' })).toContain('MONITORING_PORT="on": expected a port number between 0 and 65535');
    expect(configError({ MONITORING_PORT: '-1' })).toContain('MONITORING_PORT="-1": expected a port number');
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
      timeitPrefix: '!timeit',
      runEmoji: '▶️',
      dms: false,
      guilds: ['1', '2', '3'],
      channels: [],
      editWindowMs: 60_000,
    });
  });

  it('reads a timeit prefix of its own, which must differ from the run prefix', () => {
    expect(loadConfig({ DISCORD_TOKEN: 't', DISCORD_PREFIX: '?run', DISCORD_TIMEIT_PREFIX: '?time' }).discord).toMatchObject({
      prefix: '?run',
      timeitPrefix: '?time',
    });
    expect(configError({ DISCORD_TOKEN: 't', DISCORD_TIMEIT_PREFIX: '!run' })).toContain(
      'DISCORD_TIMEIT_PREFIX="!run": expected a prefix other than DISCORD_PREFIX\'s',
    );
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
