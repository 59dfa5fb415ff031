import { ActionRowBuilder, ButtonBuilder, ButtonStyle, PermissionFlagsBits, type ButtonInteraction, type Interaction, type Message } from 'discord.js';
import type { Answers } from '../../src/answers.js';
import type { ExpiringMap } from '../../src/expiring-map.js';
import { readCode, type CodeMode } from '../../src/intake.js';
import type { Logger } from '../../src/log.js';
import { errorFields } from './errors.js';
import { answerPrivately, interactionAsk, type PostedReply } from './post.js';
import { readMessage, type Prefixes } from './read.js';
import { attachedFiles } from './attachments.js';

/** Where a result's code comes from: a message (read again), or /run or /timeit code kept under its interaction id. */
export interface ResultSource {
  kind: 'message' | 'code';
  id: string;
}

/** A command's code, kept for "Run again", and what the command asked for: a run or timing it. */
export interface KeptCode {
  text: string;
  mode: CodeMode;
}

/** What a result's buttons act on, and who asked for it (who may delete it). */
export interface ButtonTarget {
  source: ResultSource;
  owner: string;
}

type ButtonAction = 'again' | 'delete';

// custom_id (at most 100 characters): sandpiper:<action>:<m|c>:<source id>:<owner id>. A press
// carries everything it needs, so buttons keep working after a restart (kept command code aside).
const PREFIX = 'sandpiper';
const KINDS = { m: 'message', c: 'code' } as const;

/** "Run again" and "Delete", under a result. */
export function resultButtons(target: ButtonTarget): ActionRowBuilder<ButtonBuilder> {
  const button = (action: ButtonAction, label: string, emoji: string) =>
    new ButtonBuilder().setCustomId(customId(action, target)).setLabel(label).setEmoji(emoji).setStyle(ButtonStyle.Secondary);
  return new ActionRowBuilder<ButtonBuilder>().addComponents(button('again', 'Run again', '🔁'), button('delete', 'Delete', '🗑️'));
}

function customId(action: ButtonAction, { source, owner }: ButtonTarget): string {
  return [PREFIX, action, source.kind === 'message' ? 'm' : 'c', source.id, owner].join(':');
}

/** The press a custom_id stands for, or undefined when it isn't one of ours. */
function parseButton(id: string): { action: ButtonAction; target: ButtonTarget } | undefined {
  const [prefix, action, kind, sourceId, owner] = id.split(':');
  if (prefix !== PREFIX || (action !== 'again' && action !== 'delete')) return undefined;
  if ((kind !== 'm' && kind !== 'c') || !sourceId || !owner) return undefined;
  return { action, target: { source: { kind: KINDS[kind], id: sourceId }, owner } };
}

const NOT_YOURS = 'Only the person who asked for this result, or someone who can manage messages, can delete it.';
const CODE_FORGOTTEN = 'That code is no longer kept, so it can’t run again. Use /run or /timeit again.';
const MESSAGE_GONE = 'The message with that code is gone, so it can’t run again.';

export interface ButtonDeps {
  answers: Answers<PostedReply>;
  /** /run and /timeit code by interaction id: a slash command's result has no message to read it from again. */
  codes: ExpiringMap<string, KeptCode>;
  prefixes: Prefixes;
  log: Logger;
}

/**
 * The handler for presses of our buttons (undefined for any other interaction): "Run again"
 * re-runs the code and updates the result it sits on, which still belongs to whoever asked first;
 * "Delete" removes the result, for the asker or moderators. What was timed is timed again: a
 * !timeit message is read again with its prefix, and kept /timeit code keeps its mode.
 */
export function buttonHandler(deps: ButtonDeps) {
  return (interaction: Interaction): (() => Promise<void>) | undefined => {
    if (!interaction.isButton()) return undefined;
    const press = parseButton(interaction.customId);
    if (!press) return undefined;
    return press.action === 'delete' ? () => deleteResult(deps, interaction, press.target) : () => runAgain(deps, interaction, press.target);
  };
}

async function runAgain({ answers, codes, prefixes, log }: ButtonDeps, interaction: ButtonInteraction, target: ButtonTarget): Promise<void> {
  const buttons = resultButtons(target);
  const { source } = target;
  if (source.kind === 'code') {
    const kept = codes.get(source.id);
    if (kept === undefined) return answerPrivately(interaction, CODE_FORGOTTEN);
    const read = (text: string) => readCode(text, kept.mode);
    answers.answer(interactionAsk(interaction, { trigger: 'button', text: kept.text, read, buttons }, log));
    return;
  }
  const message = await readAgain(interaction, source.id, log);
  if (!message) return answerPrivately(interaction, MESSAGE_GONE);
  const read = (text: string) => readMessage(text, prefixes, true);
  answers.answer(interactionAsk(interaction, { trigger: 'button', text: message.content, read, messageId: message.id, files: attachedFiles(message), buttons }, log));
}

/** The message as it is now (it may have been edited), or undefined when it is gone. */
async function readAgain(interaction: ButtonInteraction, id: string, log: Logger): Promise<Message | undefined> {
  const cached = interaction.channel?.messages.cache.get(id);
  if (cached && !cached.partial) return cached;
  await interaction.deferUpdate(); // reading it from Discord may take longer than the 3 s it waits for an answer
  try {
    const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
    return channel?.isTextBased() ? await channel.messages.fetch(id) : undefined;
  } catch (error) {
    log.info({ message: id, ...errorFields(error) }, 'could not read a message to run it again');
    return undefined;
  }
}

async function deleteResult({ answers }: ButtonDeps, interaction: ButtonInteraction, target: ButtonTarget): Promise<void> {
  const mayDelete =
    interaction.user.id === target.owner || (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false);
  if (!mayDelete) return answerPrivately(interaction, NOT_YOURS);
  await interaction.deferUpdate();
  await interaction.deleteReply();
  if (target.source.kind === 'message') answers.forget(target.source.id, (posted) => posted.message.id === interaction.message.id);
}
