import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../sandbox/assets.js';
import { describeDockerError, errorDetail } from '../../sandbox/docker-errors.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { benchCommand } from './bench.js';
import { benchHelp } from './bench-help.js';
import { discordCommand, discordHelp } from './discord.js';
import { doctorCommand, doctorHelp } from './doctor.js';
import { evalCommand } from './eval.js';
import { evalHelp } from './eval-help.js';
import { imageCommand, imageHelp } from './image.js';
import { runnerCommand, runnerHelp } from './runner.js';
import { startCommand, startHelp } from './start.js';
import { commandUsage, isParseArgsError, parseArgsProblem, UsageError, wantsHelp, type CommandHelp } from './usage.js';

export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: CommandHelp }> = {
  start: { run: startCommand, help: startHelp },
  eval: { run: evalCommand, help: evalHelp },
  runner: { run: runnerCommand, help: runnerHelp },
  doctor: { run: doctorCommand, help: doctorHelp },
  image: { run: imageCommand, help: imageHelp },
  bench: { run: benchCommand, help: benchHelp },
  discord: { run: discordCommand, help: discordHelp },
};

const USAGE = `usage: sandpiper <command> [options]

${Object.values(COMMANDS)
  .map(({ help }) => `  ${help.synopsis.padEnd(34)}${help.summary}`)
  .join('\n')}

\`sandpiper <command> --help\` tells more about a command; \`sandpiper --version\` prints the version.
Configuration comes from environment variables (see .env.example); a .env file in the current
directory is read too.`;

/** Runs the CLI; returns the process exit code (2 for usage and configuration errors). */
export async function main(argv: string[]): Promise<number> {
  dropOutputOnBrokenPipe();
  // `sandpiper help eval` is `sandpiper eval --help`.
  const [name, ...rest] = argv[0] === 'help' && argv[1] ? [argv[1], '--help'] : argv;
  if (!name) return print(USAGE, 2);
  if (name === '--version' || name === '-v') return print(version(), 0);
  if (name === '--help' || name === '-h' || name === 'help') return print(USAGE, 0);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined; // not `toString`
  if (!command) {
    process.stderr.write(`sandpiper: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (wantsHelp(rest)) return print(commandUsage(command.help), 0);

  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`sandpiper: ${error.message}\n`);
    return 2;
  }
  for (const warning of config.warnings) process.stderr.write(`sandpiper: warning: ${warning}\n`);

  try {
    return await command.run(rest);
  } catch (error) {
    if (isParseArgsError(error) || (error instanceof UsageError && error.showUsage)) {
      const problem = error instanceof UsageError ? error.message : `${name}: ${parseArgsProblem(error as Error)}`;
      process.stderr.write(`sandpiper: ${problem}\n\n${commandUsage(command.help)}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`sandpiper: ${error.message}\n`);
      return 2;
    }
    // Anything else is an environment problem (Docker down, a failed build): one clear line.
    process.stderr.write(`sandpiper: ${describeDockerError(error, { image: config.sandbox.pythons[0]!.image, runtime: config.sandbox.runtime }) ?? errorDetail(error)}\n`);
    return 1;
  }
}

function print(text: string, code: number): number {
  process.stdout.write(`${text}\n`);
  return code;
}

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * `sandpiper doctor | head -3`: once the reader is gone, the rest of the output is dropped instead
 * of crashing on EPIPE. The command still finishes (every step has a deadline), so the containers
 * it made are removed.
 */
function dropOutputOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
