import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Intake } from '../../src/intake.js';
import type { Reply } from '../../src/reply.js';
import type { Trigger } from '../../src/request.js';
import type { Bot } from './bot.js';
import type { ButtonTarget } from './components.js';
import { deliver, type Destination } from './deliver.js';
import { evaluate, noticeFor } from './run.js';

export type RunInteraction =
  | ChatInputCommandInteraction
  | ModalSubmitInteraction
  | MessageContextMenuCommandInteraction
  | ButtonInteraction;

/**
 * Answers an interaction that asks to run code. A notice (no code, wrong language) goes only to
 * the asker. A run is acknowledged at once (Discord allows 3 s) unless it already was, then the
 * result replaces the "thinking…" message (for a button: the result it sits on).
 */
export async function answerInteraction(bot: Bot, interaction: RunInteraction, intake: Intake, target: ButtonTarget, trigger: Trigger): Promise<void> {
  if (intake.kind !== 'run') return replyPrivately(interaction, noticeFor(intake));
  if (!interaction.deferred) await (interaction.isButton() ? interaction.deferUpdate() : interaction.deferReply());
  const asker = {
    user: interaction.user.id,
    channel: interaction.channelId ?? '', // typed nullable for modals; ours always come from a channel
    trigger,
    ...(target.source.kind === 'message' ? { messageId: target.source.id } : {}),
  };
  const reply = await evaluate(bot, asker, intake);
  const log = bot.log.child({ trigger, guild: interaction.guildId, channel: interaction.channelId, user: interaction.user.id });
  const destinations: Destination[] = [
    { what: 'interaction', send: (p) => interaction.editReply(p), buttons: true },
    { what: 'followup', send: (p) => interaction.followUp(p), buttons: true },
  ];
  await deliver(destinations, reply, target, log);
}

/** An answer only the person who asked sees. */
export async function replyPrivately(interaction: RepliableInteraction, notice: Reply): Promise<void> {
  const answer = { content: notice.text, flags: MessageFlags.Ephemeral } as const;
  await (interaction.deferred ? interaction.followUp(answer) : interaction.reply(answer));
}
