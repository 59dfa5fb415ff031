import { AttachmentBuilder, type ActionRowBuilder, type ButtonBuilder } from 'discord.js';
import { DISCORD } from '../../src/platforms.js';
import type { Reply } from '../../src/reply.js';
import { resultButtons, type ButtonTarget } from './components.js';

/** A core Reply as a Discord message: for a new message, an edit, or an interaction reply alike. */
export interface ReplyPayload {
  content: string;
  files: AttachmentBuilder[];
  /** Empty: an edit replaces the files of the earlier result. */
  attachments: [];
  components: ActionRowBuilder<ButtonBuilder>[];
}

export interface PayloadOptions {
  /** Results get "Run again" and "Delete" buttons acting on this. */
  buttons?: ButtonTarget;
  /** Attach the full output (output.txt) when the reply carries it. */
  files: boolean;
  /** Lines above the reply, e.g. why it arrives somewhere else ('' for none). */
  note?: string;
}

export function replyPayload(reply: Reply, options: PayloadOptions): ReplyPayload {
  return {
    content: options.note ? withNote(reply, options.note) : reply.text,
    files: options.files ? reply.attachments.map((file) => new AttachmentBuilder(file.data, { name: file.name })) : [],
    attachments: [],
    components: options.buttons && reply.kind === 'result' ? [resultButtons(options.buttons)] : [],
  };
}

/** The note above the reply, within Discord's limit: the whole reply if it fits, else its status line. */
function withNote(reply: Reply, note: string): string {
  return [reply.text, reply.statusLine].map((text) => `${note}\n${text}`).find((text) => text.length <= DISCORD.maxChars) ?? note;
}
