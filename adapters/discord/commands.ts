import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  SlashCommandBuilder,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';

/** The application commands: what `sandpiper discord register` sends and the triggers answer. */

export const RUN_COMMAND = 'run';
export const CODE_OPTION = 'code';
export const RUN_MENU = 'Run Python';

// Where the commands show: servers and the bot's DMs.
const CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM];

export const COMMANDS: RESTPutAPIApplicationCommandsJSONBody = [
  new SlashCommandBuilder()
    .setName(RUN_COMMAND)
    .setDescription('Run Python in a sandbox and show the output')
    .setContexts(CONTEXTS)
    .addStringOption((option) =>
      option
        .setName(CODE_OPTION)
        .setDescription('One line of Python; leave it out to get an editor for several lines')
        .setMaxLength(6000), // Discord's cap for a string option
    )
    .toJSON(),
  new ContextMenuCommandBuilder().setName(RUN_MENU).setType(ApplicationCommandType.Message).setContexts(CONTEXTS).toJSON(),
];
