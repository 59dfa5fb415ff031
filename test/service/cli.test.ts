import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

// Outside the checkout: no .env of the developer's is read.
const cwd = mkdtempSync(join(tmpdir(), 'sandpiper-runner-'));

describe('sandpiper runner', () => {
  it('refuses to listen beyond loopback without RUNNER_TOKEN (exit 2), before touching Docker', async () => {
    const run = await runCli(['runner'], { cwd, env: { RUNNER_HOST: '0.0.0.0', RUNNER_TOKEN: '' }, timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'sandpiper: RUNNER_HOST=0.0.0.0 is not a loopback address, and without RUNNER_TOKEN anyone who reaches it could run code: ' +
        'set RUNNER_TOKEN (openssl rand -hex 32 makes one), or listen on 127.0.0.1\n',
    );
  });

  it('has help like the other commands', async () => {
    const run = await runCli(['runner', '--help'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: sandpiper runner\n\nserve runs over HTTP/);
    expect((await runCli(['--help'], { cwd })).stdout).toMatch(/\n {2}runner {28}serve runs over HTTP/);
  });
});
