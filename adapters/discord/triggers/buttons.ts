import { PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import type { Intake } from '../../../src/intake.js';
import type { Bot } from '../bot.js';
import type { ButtonPress, ButtonTarget, CodeSource } from '../components.js';
import { errorFields } from '../errors.js';
import { answerInteraction, replyPrivately } from '../interaction.js';
import { readAsked } from '../read.js';
import { notice } from '../run.js';

const NOT_YOURS = 'Only the person who asked for this result, or someone who can manage messages, can delete it.';
const CODE_FORGOTTEN = 'That code is no longer kept, so it can’t run again. Use /run again.';
const MESSAGE_GONE = 'The message with that code is gone, so it can’t run again.';

/** "Run again" re-runs the code and updates the result; "Delete" removes it (asker or moderators). */
export async function onButton(bot: Bot, interaction: ButtonInteraction, { action, target }: ButtonPress): Promise<void> {
  if (action === 'delete') return deleteResult(bot, interaction, target);
  await interaction.deferUpdate(); // reading the message back may take longer than Discord's 3 s
  const intake = await readSource(bot, interaction, target.source);
  if (typeof intake === 'string') return replyPrivately(interaction, notice(intake));
  await answerInteraction(bot, interaction, intake, target, 'button');
}

/** The code behind a result, read again (a message may have been edited), or why it can't be. */
async function readSource(bot: Bot, interaction: ButtonInteraction, source: CodeSource): Promise<Intake | string> {
  if (source.kind === 'code') return bot.codes.get(source.id) ?? CODE_FORGOTTEN;
  try {
    const channel = interaction.channel ?? (await bot.client.channels.fetch(interaction.channelId));
    if (!channel?.isTextBased()) return MESSAGE_GONE;
    return readAsked(await channel.messages.fetch(source.id), bot, true);
  } catch (error) {
    bot.log.info({ message: source.id, ...errorFields(error) }, 'could not read a message to run it again');
    return MESSAGE_GONE;
  }
}

async function deleteResult(bot: Bot, interaction: ButtonInteraction, target: ButtonTarget): Promise<void> {
  const mayDelete =
    interaction.user.id === target.owner || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false);
  if (!mayDelete) return replyPrivately(interaction, notice(NOT_YOURS));
  await interaction.deferUpdate();
  await interaction.deleteReply();
  if (target.source.kind === 'message') bot.tracker.forget(target.source.id, interaction.message.id);
}
