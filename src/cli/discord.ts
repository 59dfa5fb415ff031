import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { choosableVersions } from '../../sandbox/image/pythons.js';
import { UsageError, type CommandHelp } from './usage.js';

export const discordHelp: CommandHelp = {
  synopsis: 'discord register [--guild ID]',
  summary: 'register /run, /timeit and "Run Python" with Discord',
  details: `  --guild ID  in that server only, where they show at once (else globally, which Discord
              may take a few minutes to show)

Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (see .env.example). /run and /timeit offer the
Pythons SANDBOX_PYTHONS offers as their version choices: register again after changing it.`,
};

/** What adapters/discord/register.ts provides. */
interface CommandRegistrar {
  registerCommands(settings: { token: string; applicationId: string; apiUrl: string; versions: readonly string[] }, guildId?: string): Promise<string[]>;
}

/**
 * `sandpiper discord register [--guild ID]`: registers /run, /timeit and "Run Python" with Discord,
 * globally or in one guild (where they show at once). The command definitions belong to the
 * adapter, which is loaded at run time: src/ never imports adapters/ statically (docs/architecture.md §1).
 */
export async function discordCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, options: { guild: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.join(' ') !== 'register') {
    throw new UsageError(positionals.length ? `discord: unknown subcommand "${positionals.join(' ')}"` : 'discord: missing subcommand (register)', true);
  }
  const guildId = values.guild;
  if (guildId !== undefined && !/^\d+$/.test(guildId)) throw new UsageError(`discord: --guild takes a numeric server id, not "${guildId}"`);

  const config = loadConfig();
  const { discord } = config;
  if (!discord) throw new ConfigError('DISCORD_TOKEN is not set: put the bot token (Developer Portal → Bot → Reset Token) in .env');
  const { token, applicationId, apiUrl } = discord;
  if (!applicationId) throw new ConfigError('DISCORD_APPLICATION_ID is not set: copy it from the Developer Portal (General Information) into .env');

  const { registerCommands } = (await import('../../adapters/discord/register.js')) as CommandRegistrar;
  try {
    const names = await registerCommands({ token, applicationId, apiUrl, versions: choosableVersions(config.sandbox.pythons) }, guildId);
    const where = guildId ? `in guild ${guildId} (available now)` : 'globally (Discord may take a few minutes to show them)';
    process.stdout.write(`registered ${names.map((name) => `"${name}"`).join(', ')} ${where}\n`);
    return 0;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `sandpiper: Discord refused the commands: ${why}\n` +
        '  check DISCORD_TOKEN and DISCORD_APPLICATION_ID; with --guild, the bot must be in that server\n',
    );
    return 1;
  }
}
