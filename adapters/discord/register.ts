import { REST, Routes, type RESTPutAPIApplicationCommandsJSONBody } from 'discord.js';
import { RUN_COMMAND_DEFINITION, TIMEIT_COMMAND_DEFINITION } from './run-command.js';
import { RUN_MENU_DEFINITION } from './run-menu.js';

/** The application commands the adapter answers. */
const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [RUN_COMMAND_DEFINITION, TIMEIT_COMMAND_DEFINITION, RUN_MENU_DEFINITION];

export interface RegisterSettings {
  token: string;
  applicationId: string;
  /** REST base URL (DISCORD_API_URL). */
  apiUrl: string;
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
  const saved = (await rest.put(route, { body: COMMANDS })) as Array<{ name: string }>;
  return saved.map((command) => command.name);
}
