import { Events, type Interaction } from 'discord.js';
import type { Bot } from '../bot.js';
import { RUN_COMMAND, RUN_MENU } from '../commands.js';
import { CODE_MODAL, parseButton } from '../components.js';
import { replyPrivately } from '../interaction.js';
import { isAllowed } from '../places.js';
import { notice } from '../run.js';
import { onButton } from './buttons.js';
import { onRunMenu } from './menu.js';
import { onCodeModal, onRunCommand } from './slash.js';

const NOT_HERE = 'Sandpiper doesn’t run code here.';

/** Slash command, its editor, the message menu and the result buttons. */
export function listenForInteractions(bot: Bot): void {
  bot.client.on(Events.InteractionCreate, (interaction) => {
    const handle = handlerFor(bot, interaction);
    if (!handle || !interaction.isRepliable()) return;
    bot.jobs.start('interaction', () =>
      // Outside the allow-lists interactions still get an answer: Discord would say "failed" otherwise.
      isAllowed(bot.config, interaction) ? handle() : replyPrivately(interaction, notice(NOT_HERE)),
    );
  });
}

function handlerFor(bot: Bot, interaction: Interaction): (() => Promise<void>) | undefined {
  if (interaction.isChatInputCommand() && interaction.commandName === RUN_COMMAND) return () => onRunCommand(bot, interaction);
  if (interaction.isModalSubmit() && interaction.customId === CODE_MODAL) return () => onCodeModal(bot, interaction);
  if (interaction.isMessageContextMenuCommand() && interaction.commandName === RUN_MENU) return () => onRunMenu(bot, interaction);
  const press = interaction.isButton() ? parseButton(interaction.customId) : undefined;
  if (interaction.isButton() && press) return () => onButton(bot, interaction, press);
  return undefined;
}
