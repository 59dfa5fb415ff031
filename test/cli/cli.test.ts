import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../sandbox/result.js';
import { runCli } from '../support/cli.js';

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
      expect.arrayContaining(['status', 'exitCode', 'signal', 'output', 'stdout', 'stderr', 'outputBytes', 'durationMs', 'files']),
    );
    expect(run.code).toBe(1); // not every run was ok
  });

  it('reads stdin by default and prints the output plus a status line', async () => {
    const run = await runCli(['eval'], { stdin: 'print(2 ** 10)' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('1024\n');
    expect(run.stderr).toMatch(/── <stdin>: ok \(exit 0 in \d+\.\d\d s\)/);
  });

  it('honours the limits from the environment', async () => {
    const run = await runCli(['eval', '--json'], { stdin: 'while True: pass', env: { SANDBOX_TIMEOUT_S: '1' } });
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.status).toBe('timeout');
    expect(result.durationMs).toBeLessThan(2500);
  });

  it('refuses bad usage with exit code 2', async () => {
    expect((await runCli(['eval', '--nope'])).code).toBe(2);
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
    expect(run.stdout).toMatch(/✔ a trivial run works: uid 65534, loopback only/);
    expect(run.stdout).toContain('all good');
    expect(run.code).toBe(0);
  });

  it('fails with a fix when Docker is unreachable', async () => {
    const run = await runCli(['doctor'], { env: { DOCKER_HOST: `unix://${join(dir, 'no-docker.sock')}` } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ Docker is not reachable\n\s+fix: .*start the Docker engine/);
  });

  it('fails with a fix when the runtime is not registered or the image is missing', async () => {
    const run = await runCli(['doctor'], { env: { SANDBOX_RUNTIME: 'runsc', SANDBOX_IMAGE: 'nope:missing' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ the sandbox image nope:missing is missing\n\s+fix: run `npx sandpiper image build`/);
  });
});
