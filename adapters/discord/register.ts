import { REST, Routes, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';
import { codeCommandDefinitions } from './run-command.js';
import { RUN_MENU_DEFINITION } from './run-menu.js';

/** The application commands the adapter answers, /run and /timeit offering `versions` to choose from. */
function commands(versions: readonly string[]): RESTPutAPIApplicationCommandsJSONBody {
  return [...codeCommandDefinitions(versions), RUN_MENU_DEFINITION];
}

export interface RegisterSettings {
  token: string;
  applicationId: string;
  /** REST base URL (DISCORD_API_URL). */
  apiUrl: string;
  /** The Python versions offered, the default first (none: no version option). */
  versions: readonly string[];
}

/**
 * Registers the commands (a bulk overwrite, so it is safe to repeat): globally, or in one guild,
 * where they show at once. Returns the registered names. Called by `sandpiper discord register`.
 */
export async function registerCommands(settings: RegisterSettings, guildId?: string): Promise<string[]> {
  const rest = new REST({ api: settings.apiUrl }).setToken(settings.token);
  const route = guildId
    ? Routes.applicationGuildCommands(settings.applicationId, guildId)
    : Routes.applicationCommands(settings.applicationId);
  const saved = (await rest.put(route, { body: commands(settings.versions) })) as Array<{ name: string }>;
  return saved.map((command) => command.name);
}
