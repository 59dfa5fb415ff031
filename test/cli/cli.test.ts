import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../sandbox/result.js';
import { BIN, run, runCli } from '../support/cli.js';
import { KILL_ALLOWANCE_MS } from '../support/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'sandpiper-cli-'));
function file(name: string, code: string): string {
  const path = join(dir, name);
  writeFileSync(path, code);
  return path;
}

describe('sandpiper eval', () => {
  it('--json prints one RunResult per input, in input order', async () => {
    const run = await runCli(['eval', '--json', file('a.py', 'print("a")'), '-', file('c.py', 'raise SystemExit(4)')], {
      stdin: 'print("from stdin")',
    });
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as RunResult);
    expect(results.map((r) => [r.status, r.exitCode, r.output])).toEqual([
      ['ok', 0, 'a\n'],
      ['ok', 0, 'from stdin\n'],
      ['error', 4, ''],
    ]);
    expect(Object.keys(results[0]!)).toEqual(
      expect.arrayContaining(['status', 'exitCode', 'signal', 'output', 'stdout', 'stderr', 'outputBytes', 'durationMs', 'files', 'python']),
    );
    expect(results[0]!.python).toMatch(/^3\.13\.\d+$/); // the default Python
    expect(run.code).toBe(1); // not every run was ok
  });

  it('reads stdin by default and prints the output plus a status line', async () => {
    const run = await runCli(['eval'], { stdin: 'print(2 ** 10)' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1024\n');
    expect(run.stderr).toMatch(/── <stdin>: ok \(exit 0 in \d+\.\d\d s, Python 3\.13\.\d+\)/);
  });

  it('--python runs in another of the versions offered, and refuses one not offered', async () => {
    const run = await runCli(['eval', '--json', '--python', '3.11'], { stdin: 'import sys; print(sys.version.split()[0])' });
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.python).toMatch(/^3\.11\.\d+$/);
    expect(result.output).toBe(`${result.python}\n`);
    const offered = await runCli(['eval', '--python', '3.14'], { stdin: 'print(1)', env: { SANDBOX_PYTHONS: '3.13' } });
    expect(offered).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "sandpiper: eval: --python 3.14: Python 3.14 isn't offered here: choose 3.13 (3.13 is the default)\n",
    });
  });

  it('honours the limits from the environment', async () => {
    const run = await runCli(['eval', '--json'], { stdin: 'while True: pass', env: { SANDBOX_TIMEOUT_S: '1' } });
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.status).toBe('timeout');
    expect(result.durationMs).toBeLessThan(1000 + KILL_ALLOWANCE_MS);
  });

  it('--file puts files in the working directory; --json carries the files the run left, in base64, sorted', async () => {
    const data = file('data.csv', 'n\n1\n2\n');
    const code = 'import json\nrows = open("data.csv").read().split()[1:]\njson.dump({"sum": sum(map(int, rows))}, open("sum.json", "w"))\nopen("a.bin", "wb").write(bytes([0, 255]))';
    const run = await runCli(['eval', '--json', '--file', data, file('sum.py', code)]);
    const result = JSON.parse(run.stdout) as { status: string; files: Array<{ name: string; size: number; content: string }> };
    expect(result.status).toBe('ok');
    expect(result.files).toEqual([
      { name: 'a.bin', size: 2, content: 'AP8=' },
      { name: 'sum.json', size: 10, content: Buffer.from('{"sum": 3}').toString('base64') },
    ]);
  });

  it('without --json, the files are saved in a new folder, named on stderr', async () => {
    const run = await runCli(['eval'], { stdin: 'open("out.txt", "w").write("saved")' });
    const saved = /📎 out\.txt: (\S+)/.exec(run.stderr)?.[1];
    expect(saved && readFileSync(saved, 'utf8')).toBe('saved');
  });

  it('--timeit prints timeit’s summary line, with --setup run first', async () => {
    // timeit's repeats take ~1.5 s of CPU: more than the default 5 s on a busy host.
    const run = await runCli(['eval', '--timeit', '--setup', 'xs = list(range(1000))'], { stdin: 'sorted(xs)', env: { SANDBOX_TIMEOUT_S: '20' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ loops?, best of \d+: [\d.]+ (nsec|usec|msec|sec) per loop\n$/);
    expect((await runCli(['eval', '--setup', 'x = 1'], { stdin: 'x' })).stderr).toContain('--setup goes with --timeit');
  });

  it('refuses bad usage with exit code 2', async () => {
    const unknown = await runCli(['eval', '--nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^sandpiper: eval: unknown option '--nope'\n\nusage: sandpiper eval /);
    expect((await runCli(['eval', join(dir, 'missing.py')])).stderr).toContain("can't read");
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const bad = await runCli(['eval'], { env: { SANDBOX_MEMORY_MB: 'lots' }, stdin: 'print(1)' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SANDBOX_MEMORY_MB');
  });

  it('reports Docker being unreachable as a sandbox_error result', async () => {
    const run = await runCli(['eval', '--json'], {
      stdin: 'print(1)',
      env: { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` },
    });
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.status).toBe('sandbox_error');
    expect(result.reason).toMatch(/Docker is not reachable/);
  });
});

describe('sandpiper doctor', () => {
  it('passes on a working engine and says so', async () => {
    const run = await runCli(['doctor']);
    expect(run.stdout).toMatch(/✔ Docker .* answers/);
    // Each Python offered: its image, then a run in it.
    for (const version of ['3.13', '3.14', '3.11']) {
      expect(run.stdout).toMatch(new RegExp(`✔ the sandbox image sandpiper-python:${version}-\\w+ is present \\(built \\w+, \\d+ MB\\), Python ${version}\\.\\d+\n`));
      expect(run.stdout).toMatch(new RegExp(`✔ a trivial run works in Python ${version}\\.\\d+: a uid of its own \\(\\d+\\), loopback only, seccomp on, \\d+ ms\n`));
    }
    expect(run.stdout).toContain('all good');
    expect(run.code).toBe(0);
  });

  it('fails with a fix when Docker is unreachable', async () => {
    const run = await runCli(['doctor'], { env: { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ Docker is not reachable\n\s+fix: .*start the Docker engine/);
  });

  it('says a custom image missing is the operator\'s to provide, not `image build`\'s', async () => {
    const run = await runCli(['doctor'], { env: { SANDBOX_IMAGE: 'nope:missing' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✖ the sandbox image nope:missing \(SANDBOX_IMAGE\) is missing\n\s+fix: build or load it, or unset SANDBOX_IMAGE to use the built-in images\n/,
    );
    expect(run.stdout).not.toContain('image build');
  });

  it('shows the pids limit runsc really applies, and why', async () => {
    const raised = await runCli(['doctor'], { env: { SANDBOX_RUNTIME: 'runsc', SANDBOX_IMAGE: 'nope:missing' } });
    expect(raised.stdout).toMatch(/^limits: .*, 512 pids \(SANDBOX_PIDS=64 raised to runsc's minimum of 512: [^)]+\), 1 CPU/);
    const enough = await runCli(['doctor'], { env: { SANDBOX_RUNTIME: 'runsc', SANDBOX_PIDS: '600', SANDBOX_IMAGE: 'nope:missing' } });
    expect(enough.stdout).toMatch(/^limits: .*, 600 pids, 1 CPU/);
    const runc = await runCli(['doctor'], { env: { SANDBOX_PIDS: '32', SANDBOX_IMAGE: 'nope:missing' } });
    expect(runc.stdout).toMatch(/^limits: .*, 32 pids, 1 CPU/);
  });

  it('says what is wrong with DOCKER_HOST, and how to fix it', async () => {
    const unset = /or unset DOCKER_HOST to use the local engine/;
    const garbage = await runCli(['doctor'], { env: { DOCKER_HOST: 'garbage' } });
    expect(garbage.stdout).toMatch(/✖ DOCKER_HOST="garbage" is not a Docker address\n\s+fix: set it to unix:\/\/\/path\/to\/docker.sock, tcp:\/\/HOST:PORT/);
    expect(garbage.stdout).toMatch(unset);
    const nowhere = await runCli(['doctor'], { env: { DOCKER_HOST: 'tcp://nowhere:1' } });
    expect(nowhere.stdout).toMatch(/✖ Docker is not reachable\n\s+fix: no host named "nowhere" \(E[A-Z_]+\): correct DOCKER_HOST="tcp:\/\/nowhere:1"/);
    const socket = await runCli(['doctor'], { env: { DOCKER_HOST: 'unix:///nope.sock' } });
    expect(socket.stdout).toMatch(/✖ Docker is not reachable\n\s+fix: no socket at \/nope.sock \(ENOENT\): start the Docker engine, correct DOCKER_HOST/);
    for (const result of [garbage, nowhere, socket]) {
      expect(result.stdout).not.toMatch(/getaddrinfo|connect ENOENT/);
      expect(result.stdout).toMatch(unset);
      expect(result.code).toBe(1);
    }
  });

  it('can be cut short by a pipe (`doctor | head -1`) without an EPIPE crash', async () => {
    const piped = await run('bash', ['-c', `"${process.execPath}" "${BIN}" doctor | head -1; exit \${PIPESTATUS[0]}`]);
    expect(piped.stdout).toMatch(/^limits: [^\n]+\n$/);
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(0); // it still finished its checks, and removed its container
  });
});

describe('sandpiper usage', () => {
  const COMMANDS = ['start', 'eval', 'runner', 'doctor', 'image', 'bench', 'discord'];

  it('bare: lists every command', async () => {
    const bare = await runCli([]);
    expect(bare.stdout).toMatch(/^usage: sandpiper <command>/);
    for (const name of COMMANDS) expect(bare.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(bare.code).toBe(2);
    expect((await runCli(['--help'])).stdout).toBe(bare.stdout);
  });

  it('--version and -v print the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('every command answers --help and -h with its own usage, and does nothing else', async () => {
    const answers = COMMANDS.map(async (name) => {
      const help = await runCli([name, '--help'], { env: { DOCKER_HOST: 'unix:///nope.sock' } }); // nothing may need Docker
      expect(help.stdout).toMatch(new RegExp(`^usage: sandpiper ${name}\\b[^\\n]*\\n\\n\\S`));
      expect(help.stderr).toBe('');
      expect(help.code).toBe(0);
      expect(await runCli([name, '-h'])).toEqual(help);
    });
    await Promise.all(answers);
    expect(await runCli(['help', 'eval'])).toEqual(await runCli(['eval', '--help']));
  }, 120_000);

  it('an unknown option gets one clear line and the command\'s usage, never parseArgs\' own text', async () => {
    const answers = COMMANDS.map(async (name) => {
      const wrong = await runCli([name, '--nope']);
      const [problem, blank, usage] = wrong.stderr.split('\n');
      expect(problem).toBe(`sandpiper: ${name}: unknown option '--nope'`);
      expect([blank, usage]).toEqual(['', expect.stringMatching(new RegExp(`^usage: sandpiper ${name}\\b`))]);
      expect(wrong.stderr).not.toMatch(/To specify a positional|ERR_PARSE_ARGS/);
      expect(wrong.stdout).toBe('');
      expect(wrong.code).toBe(2);
    });
    await Promise.all(answers);
  }, 120_000);

  it('a missing or unknown subcommand or value is named, with the usage', async () => {
    expect(await runCli(['toString'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^sandpiper: unknown command "toString"\n/) });
    expect((await runCli(['image'])).stderr).toMatch(/^sandpiper: image: missing subcommand \(build\)\n\nusage: sandpiper image build/);
    expect((await runCli(['discord', 'regster'])).stderr).toMatch(/^sandpiper: discord: unknown subcommand "regster"\n\nusage:/);
    expect((await runCli(['image', 'build', '--tag'])).stderr).toMatch(/^sandpiper: image: option '--tag <value>' argument missing\n/);
    expect(await runCli(['image', 'build', '--python', '3.12'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^sandpiper: image: --python 3\.12: no built-in image for it; expected 3\.11, 3\.13 or 3\.14\n/),
    });
    expect((await runCli(['image', 'build', '--tag', 'x:y'])).stderr).toMatch(/^sandpiper: image: --tag names one image, and 3 versions would be built: add --python X\.Y\n/);
    const guild = await runCli(['discord', 'register', '--guild', 'abc'], { env: { DISCORD_TOKEN: 't' } });
    expect(guild).toMatchObject({ code: 2, stderr: 'sandpiper: discord: --guild takes a numeric server id, not "abc"\n' });
  });
});

describe('configuration through the CLI', () => {
  it('a misspelled setting stops any command with exit code 2, naming the setting meant', async () => {
    const typo = await runCli(['doctor'], { env: { SANDBOX_TIMEOUT: '1' } });
    expect(typo.stderr).toBe(
      'sandpiper: invalid configuration:\n  SANDBOX_TIMEOUT is not a Sandpiper setting: did you mean SANDBOX_TIMEOUT_S?\n',
    );
    expect(typo.stdout).toBe('');
    expect(typo.code).toBe(2);
    const value = await runCli(['image', 'build'], { env: { SANDBOX_TIMEOUT_S: '0x10' } });
    expect(value.stderr).toContain('SANDBOX_TIMEOUT_S="0x10": expected a number of seconds between 0.1 and 600');
    expect(value.code).toBe(2);
  });

  it('a name that may be another program\'s is only a warning', async () => {
    const build = await runCli(['image', 'build'], { env: { LOG_FORMAT: 'json' } });
    expect(build.stderr).toContain('sandpiper: warning: LOG_FORMAT is not a Sandpiper setting (ignored); .env.example lists them all\n');
    expect(build.stdout).toMatch(/is already built/);
    expect(build.code).toBe(0);
  });
});
