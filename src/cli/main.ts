import { existsSync } from 'node:fs';
import { describeDockerError, errorDetail } from '../../sandbox/docker-errors.js';
import { ConfigError, loadConfig } from '../config.js';
import { benchCommand } from './bench.js';
import { discordCommand } from './discord.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { imageCommand } from './image.js';
import { startCommand } from './start.js';
import { UsageError } from './usage.js';

const USAGE = `usage: sandpiper <command>

  start                       run the bot: Discord/Slack when configured, else a terminal chat
  eval [FILE...|-] [--json]   run Python files (or stdin) in the sandbox, exactly as the bot does
  doctor                      check Docker, the runtime, the image and the limits; say how to fix
  image build [--force]       build the sandbox image (offline with debootstrap if need be)
  bench [--json] [--quick]    measure latency and throughput of every sandbox path, in one run
  discord register [--guild ID]  register /run and "Run Python" with Discord (one guild: at once)

Configuration comes from environment variables (see .env.example); a .env file in the current
directory is read too.`;

export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  eval: evalCommand,
  doctor: doctorCommand,
  image: imageCommand,
  bench: benchCommand,
  discord: discordCommand,
};

/** Runs the CLI; returns the process exit code (2 for usage errors). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`sandpiper: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return await command(rest);
  } catch (error) {
    const parseError = String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (error instanceof ConfigError || error instanceof UsageError || parseError) {
      process.stderr.write(`sandpiper: ${(error as Error).message}\n`);
      return 2;
    }
    // Anything else is an environment problem (Docker down, a failed build): one clear line.
    const message = describeDockerError(error, describedContext()) ?? errorDetail(error);
    process.stderr.write(`sandpiper: ${message}\n`);
    return 1;
  }
}

/** The image and runtime named in error messages, without failing on a bad configuration. */
function describedContext(): { image: string; runtime: string } {
  try {
    return loadConfig().sandbox;
  } catch {
    return { image: 'the sandbox image', runtime: 'runc' };
  }
}
