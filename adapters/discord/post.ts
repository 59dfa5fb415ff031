import {
  AttachmentBuilder,
  MessageFlags,
  type ActionRowBuilder,
  type ButtonBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Ask, PostedReplies } from '../../src/answers.js';
import type { IncomingFile } from '../../src/incoming-files.js';
import type { Intake } from '../../src/intake.js';
import type { Logger } from '../../src/log.js';
import { DISCORD } from '../../src/platforms.js';
import type { Reply } from '../../src/reply.js';
import type { Trigger } from '../../src/request.js';
import type { ResultButtons } from './buttons.js';
import { errorFields, isTooLarge, isUnknownReference } from './errors.js';

/** What shows with a reply wherever it goes, and again when it is updated. */
interface Framing {
  /** "Run again", "Run in 3.x" and "Delete", under results only (they act in the channel they are in). */
  buttons?: ResultButtons;
  /** A line above the reply: why it arrives somewhere else. */
  note?: string;
}

/** A reply the bot posted, so it can be updated or deleted later. */
export interface PostedReply extends Framing {
  message: Message;
}

/** One place a reply can go (a reply to the message, the channel, a DM, an interaction). */
export interface Destination extends Framing {
  /** For logs: 'reply', 'channel', 'dm', 'edit', 'interaction', 'followup'. */
  what: string;
  send(payload: ReplyPayload): Promise<Message>;
}

/** A core Reply as a Discord message: for a new message, an edit, or an interaction reply alike. */
interface ReplyPayload {
  content: string;
  files: AttachmentBuilder[];
  /** Empty: an edit replaces the files of the earlier result. */
  attachments: [];
  components: ActionRowBuilder<ButtonBuilder>[];
}

const TOO_BIG = '⚠️ The files were too big to attach.';

/**
 * Posts `reply` to the first destination that takes it; never throws. Any failure moves on to the
 * next destination, except a reply to a message deleted meanwhile: its author withdrew it.
 */
export async function deliver(destinations: Destination[], reply: Reply, log: Logger): Promise<PostedReply | undefined> {
  for (const destination of destinations) {
    try {
      const message = await sendFitting(destination, reply, log);
      return { message, buttons: destination.buttons, note: destination.note };
    } catch (error) {
      if (isUnknownReference(error)) {
        log.info('the message was deleted while its code ran: reply dropped');
        return undefined;
      }
      log.warn({ destination: destination.what, ...errorFields(error) }, `could not post the reply (${destination.what})`);
    }
  }
  log.error({ tried: destinations.map((d) => d.what) }, 'could not post the reply anywhere: giving up');
  return undefined;
}

/** Updating a reply in place keeps its buttons and note; deleting it deletes the message. */
export function postedReplies(log: Logger): PostedReplies<PostedReply> {
  return {
    update: async (posted, reply) => {
      await sendFitting({ ...posted, what: 'edit', send: (p) => posted.message.edit(p) }, reply, log);
      return posted; // the edit replaced the message's files too
    },
    remove: async (posted) => void (await posted.message.delete()),
  };
}

/** Sends the reply; an upload over the size limit is sent again without the file, saying so. */
async function sendFitting(destination: Destination, reply: Reply, log: Logger): Promise<Message> {
  try {
    return await destination.send(payload(reply, destination, true));
  } catch (error) {
    if (!isTooLarge(error) || reply.attachments.length === 0) throw error;
    log.warn({ destination: destination.what, ...errorFields(error) }, 'the files are over the upload limit: sending without them');
    const note = [destination.note, TOO_BIG].filter(Boolean).join('\n');
    return destination.send(payload(reply, { ...destination, note }, false));
  }
}

function payload(reply: Reply, { buttons, note }: Framing, files: boolean): ReplyPayload {
  return {
    content: note ? withNote(reply, note) : reply.text,
    files: files ? reply.attachments.map((file) => new AttachmentBuilder(file.data, { name: file.name })) : [],
    attachments: [],
    components: buttons && reply.kind === 'result' ? buttons(reply.python) : [],
  };
}

/** The note above the reply, within Discord's limit: the whole reply if it fits, else its status line. */
function withNote(reply: Reply, note: string): string {
  return [reply.text, reply.statusLine].map((text) => `${note}\n${text}`).find((text) => text.length <= DISCORD.maxChars) ?? note;
}

export type RunInteraction = ChatInputCommandInteraction | ModalSubmitInteraction | MessageContextMenuCommandInteraction | ButtonInteraction;

/** What an interaction asks to run, before it becomes the core's Ask. */
export interface InteractionRequest {
  trigger: Trigger;
  text: string;
  read(text: string): Intake;
  /** The message holding the code, when there is one. */
  messageId?: string;
  /** That message's attachments, or the command's `file` option. */
  files?: readonly IncomingFile[];
  buttons: ResultButtons;
}

/**
 * An interaction asking for a run, as the core's Ask. Acknowledging it (Discord waits 3 s) is the
 * indicator: "thinking…" (for a button, nothing visible) shows only once the run is admitted, so
 * a refusal or a notice is answered privately, and first. The result replaces the acknowledgement.
 */
export function interactionAsk(interaction: RunInteraction, request: InteractionRequest, log: Logger): Ask<PostedReply> {
  const { trigger, text, read, messageId, files, buttons } = request;
  const where = log.child({ trigger, guild: interaction.guildId, channel: interaction.channelId, user: interaction.user.id });
  const destinations: Destination[] = [
    {
      what: 'interaction',
      send: async (p) => {
        await acknowledge(interaction); // a run cancelled before its admission has a result, and no indicator
        return interaction.editReply(p);
      },
      buttons,
    },
    { what: 'followup', send: (p) => interaction.followUp(p), buttons },
  ];
  return {
    trigger,
    user: interaction.user.id,
    channel: interaction.channelId ?? '', // typed nullable for modals; ours always come from a channel
    ...(messageId === undefined ? {} : { messageId }),
    text,
    read,
    ...(files === undefined ? {} : { files }),
    indicator: { show: () => acknowledge(interaction), hide: async () => {} },
    post: (reply) => deliver(destinations, reply, where),
    tell: (reply) => answerPrivately(interaction, reply.text),
  };
}

/** "Thinking…" for a command; for a button, an acknowledgement: the result it sits on is updated. */
async function acknowledge(interaction: RunInteraction): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await (interaction.isButton() ? interaction.deferUpdate() : interaction.deferReply());
}

/** An answer only the person who asked sees. */
export async function answerPrivately(interaction: RepliableInteraction, text: string): Promise<void> {
  const answer = { content: text, flags: MessageFlags.Ephemeral } as const;
  if (!interaction.deferred && !interaction.replied) return void (await interaction.reply(answer));
  await interaction.followUp(answer);
  // Else "thinking…" stays forever. (A button's acknowledgement shows nothing: its message is the result.)
  if (interaction.deferred && !interaction.isMessageComponent()) await interaction.deleteReply();
}
