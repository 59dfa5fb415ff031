import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LABEL_OWNER, LABEL_SANDBOX } from '../../sandbox/labels.js';
import { runCli } from '../support/cli.js';
import { docker } from '../support/sandbox.js';

const BIN = fileURLToPath(new URL('../../bin/sandpiper.js', import.meta.url));

async function containersOf(pid: number): Promise<string[]> {
  const all = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
  return all.filter((c) => c.Labels[LABEL_OWNER]?.endsWith(`:${pid}`)).map((c) => c.Id);
}

describe('the bot killed with SIGKILL', () => {
  it('leaves containers behind, and the next start reaps every one of them', async () => {
    const bot = spawn(process.execPath, [BIN, 'start'], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, SANDBOX_POOL_SIZE: '2' } });
    bot.stdin.end('```py\nimport time\ntime.sleep(30)\n```\n');
    const pid = bot.pid!;
    // Wait for its running sandbox plus its pool.
    for (let i = 0; i < 200 && (await containersOf(pid)).length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    const orphans = await containersOf(pid);
    expect(orphans.length).toBeGreaterThanOrEqual(3);

    bot.kill('SIGKILL');
    await new Promise((resolve) => bot.on('close', resolve));
    expect((await containersOf(pid)).length).toBe(orphans.length); // nobody cleaned up

    const next = await runCli(['start'], { stdin: '```py\nprint("next start")\n```\n', env: { SANDBOX_POOL_SIZE: '0' } });
    expect(next.stdout).toContain('next start');
    expect(await containersOf(pid)).toEqual([]);
  }, 60_000);
});
