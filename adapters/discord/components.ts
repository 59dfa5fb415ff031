import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  LabelBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';

/** The components Sandpiper shows: the buttons under a result, and the /run code editor. */

/** Where a reply's code comes from: a message (read again), or /run code kept under its interaction id. */
export interface CodeSource {
  kind: 'message' | 'code';
  id: string;
}

/** What a result's buttons act on, and who asked for it (who may delete it). */
export interface ButtonTarget {
  source: CodeSource;
  owner: string;
}

export type ButtonAction = 'again' | 'delete';

export interface ButtonPress {
  action: ButtonAction;
  target: ButtonTarget;
}

// custom_id (at most 100 characters): sandpiper:<action>:<m|c>:<source id>:<owner id>. A press
// carries everything it needs, so buttons keep working after a restart (kept /run code aside).
const PREFIX = 'sandpiper';
const KINDS = { m: 'message', c: 'code' } as const;

export function resultButtons(target: ButtonTarget): ActionRowBuilder<ButtonBuilder> {
  const button = (action: ButtonAction, label: string, emoji: string) =>
    new ButtonBuilder().setCustomId(customId(action, target)).setLabel(label).setEmoji(emoji).setStyle(ButtonStyle.Secondary);
  return new ActionRowBuilder<ButtonBuilder>().addComponents(button('again', 'Run again', '🔁'), button('delete', 'Delete', '🗑️'));
}

function customId(action: ButtonAction, { source, owner }: ButtonTarget): string {
  return [PREFIX, action, source.kind === 'message' ? 'm' : 'c', source.id, owner].join(':');
}

/** The press a custom_id stands for, or undefined when it isn't one of ours. */
export function parseButton(id: string): ButtonPress | undefined {
  const [prefix, action, kind, sourceId, owner] = id.split(':');
  if (prefix !== PREFIX || (action !== 'again' && action !== 'delete')) return undefined;
  if ((kind !== 'm' && kind !== 'c') || !sourceId || !owner) return undefined;
  return { action, target: { source: { kind: KINDS[kind], id: sourceId }, owner } };
}

export const CODE_MODAL = 'sandpiper:code';
export const CODE_FIELD = 'code';

/** The editor `/run` opens when no code was given: slash options hold one line only. */
export function codeModal(): ModalBuilder {
  const editor = new TextInputBuilder()
    .setCustomId(CODE_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder('print("hello")')
    .setMaxLength(4000) // Discord's cap for a text input
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(CODE_MODAL)
    .setTitle('Run Python')
    .addLabelComponents(new LabelBuilder().setLabel('Code').setTextInputComponent(editor));
}
