import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { start } from '../../adapters/console/index.js';
import { loadConfig } from '../../src/config.js';
import { makeEvaluator } from '../support/evaluator.js';
import { createLogger } from '../../src/log.js';
import { docker, makeRunner } from '../support/sandbox.js';
import { runCli } from '../support/cli.js';
import { LABEL_SANDBOX } from '../../sandbox/labels.js';

describe('console chat, piped (what `printf … | npm start -s` does)', () => {
  it('answers a message with a Python block, as a chat user would see it, and exits 0', async () => {
    const message = 'Can you run this?\n```py\nfor i in range(3):\n    print("line", i)\n```\nthanks!';
    const run = await runCli(['start'], { stdin: message });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✅ done in \d+\.\d\d s\nline 0\nline 1\nline 2\n$/);
  });

  it('runs bare code too: the console is an explicit invocation', async () => {
    const run = await runCli(['start'], { stdin: 'import sys\nsys.exit(2)' });
    expect(run).toMatchObject({ code: 0, stdout: '❌ exited with code 2\n[no output]\n' });
  });

  it('explains instead of running a block in another language', async () => {
    const run = await runCli(['start'], { stdin: '```js\nconsole.log(1)\n```' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Only Python can be run here, and that block is marked as js.');
  });

  it('on SIGTERM, finishes the running snippet, prints its reply, removes its container and exits 0', async () => {
    const bin = fileURLToPath(new URL('../../bin/sandpiper.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'start'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stdin.end('import time\nprint("started", flush=True)\ntime.sleep(1.5)\nprint("finished")');
    await waitForContainerOf(child.pid!);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/✅ done in .*\nstarted\nfinished\n/);
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
    expect(left.filter((c) => c.Labels['sandpiper.owner']?.endsWith(`:${child.pid}`))).toEqual([]);
  });
});

async function waitForContainerOf(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const running = await docker.listContainers({ filters: { label: [`${LABEL_SANDBOX}=1`] } });
    if (running.some((c) => c.Labels['sandpiper.owner']?.endsWith(`:${pid}`))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no sandbox started');
}

describe('console chat, interactive (a terminal)', () => {
  const runner = makeRunner('runc');
  afterAll(() => runner.drain());

  it('prompts, assembles a pasted block, and answers each message in turn', async () => {
    const config = loadConfig({});
    const evaluator = makeEvaluator(runner, config);
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const output = new PassThrough();
    let screen = '';
    output.setEncoding('utf8').on('data', (text: string) => (screen += text));
    const adapter = await start({ evaluator, config, log: createLogger('silent') }, { input, output });

    input.write('```py\nx = 6\n\nprint(x * 7)\n```\n');
    input.write('```rust\nfn main() {}\n```\n');
    input.end('print("bye")\n');
    await adapter.finished;

    expect(screen).toContain('Sandpiper console');
    screen = screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''); // readline's cursor movements
    expect(screen).toContain('you › ```py');
    expect(screen).toMatch(/⏳ running…\n✅ done in .*\n42\n/);
    expect(screen).toMatch(/\.\.\. Only Python can be run here, and that block is marked as rust\./); // no ⏳
    expect(screen).toMatch(/✅ done in .*\nbye\n/);
  });
});
