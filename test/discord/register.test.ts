import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.js';

/** `sandpiper discord register [--guild ID]`, in process, against the fake Discord. */

let fake: FakeDiscord | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await fake?.close();
  fake = undefined;
});

/** Runs the CLI with Discord pointed at the fake; returns the exit code and what it printed. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  fake ??= await startFakeDiscord();
  const base = { DISCORD_TOKEN: 'fake-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl };
  for (const [name, value] of Object.entries({ ...base, ...env })) vi.stubEnv(name, value);
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((stdout += String(text)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => ((stderr += String(text)), true));
  const code = await main(args);
  return { code, stdout, stderr };
}

describe('sandpiper discord register', { timeout: 20_000 }, () => {
  it('registers /run, /timeit and the "Run Python" menu globally', async () => {
    const run = await cli(['discord', 'register']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('registered "run", "timeit", "Run Python" globally');
    const put = fake!.requestsMatching({ method: 'PUT' });
    expect(put.map((r) => [r.path, r.auth])).toEqual([[`/applications/${fake!.applicationId}/commands`, 'Bot fake-token']]);
    expect(fake!.state.commands.get('global')?.map((c) => [c.name, c.type])).toEqual([['run', 1], ['timeit', 1], ['Run Python', 3]]);
    const versions = { name: 'version', type: 3, required: false, choices: [{ name: '3.13 (default)', value: '3.13' }, { name: '3.14', value: '3.14' }, { name: '3.11', value: '3.11' }] };
    const file = { name: 'file', type: 11, required: false, description: 'A file the code can open, e.g. data.csv; it is put in the working directory' };
    for (const command of [0, 1]) expect(put[0]?.body[command].options).toMatchObject([{ name: 'code', type: 3, required: false }, file, versions]);
  });

  it('offers the versions configured, and no version option when the one image names none', async () => {
    await cli(['discord', 'register'], { SANDBOX_PYTHONS: '3.14' });
    await cli(['discord', 'register'], { SANDBOX_PYTHONS: '', SANDBOX_IMAGE: 'my-python:latest' });
    const [chosen, unnamed] = fake!.requestsMatching({ method: 'PUT' }).map((put) => put.body[0].options as Array<{ name: string }>);
    expect(chosen).toMatchObject([{ name: 'code' }, { name: 'file' }, { name: 'version', choices: [{ name: '3.14 (default)', value: '3.14' }] }]);
    expect(unnamed?.map((option) => option.name)).toEqual(['code', 'file']);
  });

  it('registers in one guild with --guild', async () => {
    fake = await startFakeDiscord();
    const run = await cli(['discord', 'register', '--guild', fake.guild.id]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`in guild ${fake.guild.id} (available now)`);
    expect(fake.state.commands.get(fake.guild.id)).toHaveLength(3);
  });

  it('says clearly what is missing or wrong', async () => {
    expect(await cli(['discord', 'register'], { DISCORD_TOKEN: '' })).toMatchObject({ code: 2, stderr: expect.stringContaining('DISCORD_TOKEN is not set') });
    expect(await cli(['discord', 'register'], { DISCORD_APPLICATION_ID: '' })).toMatchObject({ code: 2, stderr: expect.stringContaining('DISCORD_APPLICATION_ID is not set') });
    expect(await cli(['discord'])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: sandpiper discord register') });
    expect(await cli(['discord', 'register', '--guild', 'home'])).toMatchObject({ code: 2, stderr: expect.stringContaining('numeric') });
    const refused = await cli(['discord', 'register'], { DISCORD_APPLICATION_ID: '1' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Discord refused the commands: Missing Access');
    expect(fake!.state.commands.size).toBe(0);
  });
});
