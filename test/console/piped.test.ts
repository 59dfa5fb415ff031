import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LABEL_SANDBOX } from '../../sandbox/labels.js';
import { HOW_TO } from '../../src/intake.js';
import { runCli } from '../support/cli.js';
import { docker } from '../support/sandbox.js';

// `printf … | npm start` with no chat platform configured: the whole input is one message, read
// like a DM, and its reply goes to stdout. The built CLI (`npm run build` first).
const BIN = fileURLToPath(new URL('../../bin/sandpiper.js', import.meta.url));

describe('the terminal chat with piped input', () => {
  it('answers a message with a Python block, as a chat user would see it, and exits 0', async () => {
    const message = 'Can you run this?\n```py\nfor i in range(3):\n    print("line", i)\n```\nthanks!';
    const run = await runCli(['start'], { stdin: message });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✅ done in [^\n]+\nline 0\nline 1\nline 2\n$/);
  });

  it('reads bare code as a DM would (the how-to), and runs it after /run', async () => {
    const bare = await runCli(['start'], { stdin: 'import sys\nsys.exit(2)' });
    expect(bare).toMatchObject({ code: 0, stdout: `No code found. ${HOW_TO}\n` });
    const run = await runCli(['start'], { stdin: '/run import sys\nsys.exit(2)' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^❌ exited with code 2 · Python 3\.13\.\d+\n\[no output\]\n$/);
  });

  it('explains instead of running a block in another language', async () => {
    const run = await runCli(['start'], { stdin: '```js\nconsole.log(1)\n```' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Only Python can be run here, and that block is marked as js.');
  });

  it('with empty input, says that nothing is configured and nothing was asked, and exits 1', async () => {
    const run = await runCli(['start'], { stdin: ' \n' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'sandpiper: could not start the terminal chat: no chat platform is configured (set DISCORD_TOKEN or SLACK_BOT_TOKEN, ' +
        'see .env.example), and standard input held no message for the terminal chat\n',
    );
  });

  it('with input that never ends, gives up after 10 s with the same message, and exits 1', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const code = await new Promise((resolve) => child.on('close', resolve));
    child.stdin.end();
    expect(code).toBe(1);
    expect(stderr).toContain('and standard input held no message for the terminal chat within 10 s\n');
  });

  it('refuses input over 1 MiB instead of reading it all, and exits 1', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.on('error', () => {}); // the bot stops reading: the rest of the write fails (EPIPE)
    child.stdin.end(`print(1)\n${'#'.repeat(2 * 1024 * 1024)}`);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('sandpiper: could not start the terminal chat: standard input is over 1 MiB: too long for one message\n');
  });

  it('on SIGTERM, finishes the running snippet, prints its reply, removes its container and exits 0', async () => {
    // No warm pool: the only container is the run's, so the run has started once it exists.
    const env = { ...process.env, SANDBOX_POOL_SIZE: '0' };
    const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stdin.end('/run import time\nprint("started", flush=True)\ntime.sleep(1.5)\nprint("finished")');
    await waitForContainerOf(child.pid!);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/✅ done in .*\nstarted\nfinished\n/);
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
    expect(left.filter((c) => c.Labels['sandpiper.owner']?.endsWith(`:${child.pid}`))).toEqual([]);
  });
});

async function waitForContainerOf(pid: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await docker.listContainers({ filters: { label: [`${LABEL_SANDBOX}=1`] } });
    if (running.some((c) => c.Labels['sandpiper.owner']?.endsWith(`:${pid}`))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sandbox started within ${timeoutMs} ms`);
}
