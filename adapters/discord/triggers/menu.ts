import type { MessageContextMenuCommandInteraction } from 'discord.js';
import type { Bot } from '../bot.js';
import { answerInteraction } from '../interaction.js';
import { readAsked } from '../read.js';

/** "Apps → Run Python" on a message: run the code it holds. */
export async function onRunMenu(bot: Bot, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const message = interaction.targetMessage;
  const target = { source: { kind: 'message' as const, id: message.id }, owner: interaction.user.id };
  await answerInteraction(bot, interaction, readAsked(message, bot, true), target, 'context_menu');
}
