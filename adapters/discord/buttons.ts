import { ActionRowBuilder, ButtonBuilder, ButtonStyle, PermissionFlagsBits, type ButtonInteraction, type Interaction, type Message } from 'discord.js';
import type { Answers } from '../../src/answers.js';
import type { ExpiringMap } from '../../src/expiring-map.js';
import type { IncomingFile } from '../../src/incoming-files.js';
import { inPython, readCode, type CodeMode } from '../../src/intake.js';
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

/** A command's code, kept for "Run again", what the command asked for (a run or timing it), and the version and file chosen with it. */
export interface KeptCode {
  text: string;
  mode: CodeMode;
  /** The command's version option: it wins over a version the text names. */
  python?: string;
  /** The command's `file` option: the code almost surely reads it, so it runs with it again (downloaded again). */
  files?: readonly IncomingFile[];
}

/** What a result's buttons act on, and who asked for it (who may delete it). */
export interface ButtonTarget {
  source: ResultSource;
  owner: string;
  /** Set by "Run in 3.14": the code runs in that version, whatever it names, and "Run again" stays in it. */
  python?: string;
}

/**
 * The buttons under a result, given the Python it ran in (Reply.python): which versions to offer
 * is known only once it ran, and changes when an edit names another.
 */
export type ResultButtons = (ranIn: string | undefined) => Array<ActionRowBuilder<ButtonBuilder>>;

type ButtonAction = 'again' | 'delete';

// custom_id (at most 100 characters): sandpiper:<action>:<m|c>:<source id>:<owner id>[:<version>].
// A press carries everything it needs, so buttons keep working after a restart (kept command code aside).
const PREFIX = 'sandpiper';
const KINDS = { m: 'message', c: 'code' } as const;
const BUTTONS_PER_ROW = 5; // Discord's limit

/**
 * "Run again", "Run in 3.x" for each other Python offered (`versions`), and "Delete", under a
 * result; a sixth button would start a second row.
 */
export function resultButtons(target: ButtonTarget, versions: readonly string[]): ResultButtons {
  const button = (action: ButtonAction, to: ButtonTarget, label: string, emoji: string) =>
    new ButtonBuilder().setCustomId(customId(action, to)).setLabel(label).setEmoji(emoji).setStyle(ButtonStyle.Secondary);
  return (ranIn) => {
    const buttons = [
      button('again', target, 'Run again', '🔁'),
      ...versions.filter((version) => version !== ranIn).map((version) => button('again', { ...target, python: version }, `Run in ${version}`, '🐍')),
      button('delete', target, 'Delete', '🗑️'),
    ];
    const rows: Array<ActionRowBuilder<ButtonBuilder>> = [];
    for (let start = 0; start < buttons.length; start += BUTTONS_PER_ROW) {
      rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(start, start + BUTTONS_PER_ROW)));
    }
    return rows;
  };
}

function customId(action: ButtonAction, { source, owner, python }: ButtonTarget): string {
  return [PREFIX, action, source.kind === 'message' ? 'm' : 'c', source.id, owner, ...(python === undefined ? [] : [python])].join(':');
}

/** The press a custom_id stands for, or undefined when it isn't one of ours. */
function parseButton(id: string): { action: ButtonAction; target: ButtonTarget } | undefined {
  const [prefix, action, kind, sourceId, owner, python, ...more] = id.split(':');
  if (prefix !== PREFIX || (action !== 'again' && action !== 'delete') || more.length) return undefined;
  if ((kind !== 'm' && kind !== 'c') || !sourceId || !owner || python === '') return undefined;
  return { action, target: { source: { kind: KINDS[kind], id: sourceId }, owner, ...(python === undefined ? {} : { python }) } };
}

const NOT_YOURS = 'Only the person who asked for this result, or someone who can manage messages, can delete it.';
const CODE_FORGOTTEN = 'That code is no longer kept, so it can’t run again. Use /run or /timeit again.';
const MESSAGE_GONE = 'The message with that code is gone, so it can’t run again.';

export interface ButtonDeps {
  answers: Answers<PostedReply>;
  /** /run and /timeit code by interaction id: a slash command's result has no message to read it from again. */
  codes: ExpiringMap<string, KeptCode>;
  prefixes: Prefixes;
  /** The Python versions offered, the default first: "Run in" buttons offer the others. */
  versions: readonly string[];
  log: Logger;
}

/**
 * The handler for presses of our buttons (undefined for any other interaction): "Run again"
 * re-runs the code and updates the result it sits on, which still belongs to whoever asked first;
 * "Run in 3.14" does the same in that version; "Delete" removes the result, for the asker or
 * moderators. What was timed is timed again: a !timeit message is read again with its prefix, and
 * kept /timeit code keeps its mode.
 */
export function buttonHandler(deps: ButtonDeps) {
  return (interaction: Interaction): (() => Promise<void>) | undefined => {
    if (!interaction.isButton()) return undefined;
    const press = parseButton(interaction.customId);
    if (!press) return undefined;
    return press.action === 'delete' ? () => deleteResult(deps, interaction, press.target) : () => runAgain(deps, interaction, press.target);
  };
}

async function runAgain({ answers, codes, prefixes, versions, log }: ButtonDeps, interaction: ButtonInteraction, target: ButtonTarget): Promise<void> {
  const buttons = resultButtons(target, versions);
  const { source, python } = target;
  if (source.kind === 'code') {
    const kept = codes.get(source.id);
    if (kept === undefined) return answerPrivately(interaction, CODE_FORGOTTEN);
    const read = (text: string) => inPython(readCode(text, kept.mode), python ?? kept.python);
    answers.answer(interactionAsk(interaction, { trigger: 'button', text: kept.text, read, files: kept.files, buttons }, log));
    return;
  }
  const message = await readAgain(interaction, source.id, log);
  if (!message) return answerPrivately(interaction, MESSAGE_GONE);
  const read = (text: string) => inPython(readMessage(text, prefixes, true), python);
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
