import { makeUser } from './config.js';
import { MessageFlag } from './constants.js';
import { snowflake } from './snowflake.js';
import type { FakeState } from './state.js';
import type { FakeAttachment, FakeMessage, FakeUser, Json, RecordedFile } from './types.js';
import { messageJson } from './payloads.js';

/** Building and changing stored messages, the same way for users' and the bot's messages. */

export interface NewMessage {
  channelId: string;
  author: FakeUser;
  content?: string;
  embeds?: Json[];
  components?: Json[];
  attachments?: FakeAttachment[];
  flags?: number;
  /** The message this one replies to. */
  replyTo?: FakeMessage;
  /** Discord's `allowed_mentions` as sent; decides who ends up in `mentions` (who gets pinged). */
  allowedMentions?: { parse?: string[]; users?: string[]; replied_user?: boolean };
  type?: number;
  interactionMetadata?: Json;
  webhookId?: string;
  applicationId?: string;
  nonce?: string | number;
  tts?: boolean;
}

const MENTION = /<@!?(\d+)>/g;

/** Users mentioned in `content` that Discord would actually ping under `allowed`. */
function mentionsFor(state: FakeState, input: NewMessage): { users: FakeUser[]; everyone: boolean } {
  const allowed = input.allowedMentions;
  const parse = allowed?.parse ?? ['users', 'roles', 'everyone'];
  const ids = new Set<string>();
  for (const m of (input.content ?? '').matchAll(MENTION)) {
    const id = m[1] ?? '';
    if (parse.includes('users') || allowed?.users?.includes(id)) ids.add(id);
  }
  if (input.replyTo && (allowed?.replied_user ?? true)) ids.add(input.replyTo.author.id);
  const users = [...ids].map((id) => state.users.get(id) ?? makeUser({ id }));
  const everyone = parse.includes('everyone') && /@(everyone|here)\b/.test(input.content ?? '');
  return { users, everyone };
}

export function createMessage(state: FakeState, input: NewMessage): FakeMessage {
  const guildId = state.channels.get(input.channelId)?.guildId;
  const { users, everyone } = mentionsFor(state, input);
  const msg: FakeMessage = {
    id: snowflake(),
    type: input.type ?? (input.replyTo ? 19 : 0), // 19 = Reply
    channel_id: input.channelId,
    author: { ...input.author },
    content: input.content ?? '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: input.tts ?? false,
    mention_everyone: everyone,
    mentions: users,
    mention_roles: [],
    attachments: input.attachments ?? [],
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    reactions: [],
    pinned: false,
    flags: input.flags ?? 0,
    ...(guildId !== undefined && { guildId }),
    ...(input.nonce !== undefined && { nonce: input.nonce }),
    ...(input.webhookId !== undefined && { webhook_id: input.webhookId }),
    ...(input.applicationId !== undefined && { application_id: input.applicationId }),
    ...(input.interactionMetadata !== undefined && { interaction_metadata: input.interactionMetadata }),
  };
  if (input.replyTo) {
    msg.message_reference = {
      type: 0,
      message_id: input.replyTo.id,
      channel_id: input.replyTo.channel_id,
      ...(guildId !== undefined && { guild_id: guildId }),
    };
    msg.referenced_message = messageJson(input.replyTo);
  }
  state.messages.set(msg.id, msg);
  return msg;
}

/** Store uploaded files as attachments; their `url` serves the bytes from the fake itself. */
export function storeFiles(state: FakeState, channelId: string, files: RecordedFile[], meta: unknown): FakeAttachment[] {
  const described = Array.isArray(meta) ? (meta as Json[]) : [];
  return files.map((file, index) => {
    const id = snowflake();
    state.files.set(id, file.data);
    const info = described.find((a) => String(a.id) === String(index));
    const url = `${state.origin}/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      filename: file.name,
      size: file.data.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(typeof info?.description === 'string' && { description: info.description }),
    };
  });
}

/** A file a user uploads, with a message or as a command's attachment option. */
export interface UserUpload {
  name: string;
  content: string | Buffer;
  contentType?: string;
}

/** Attachments for a user's message or command, from text or bytes. */
export function userAttachments(state: FakeState, channelId: string, files: UserUpload[]): FakeAttachment[] {
  return storeFiles(
    state,
    channelId,
    files.map((f) => {
      const data = Buffer.from(f.content);
      return { field: '', name: f.name, contentType: f.contentType ?? 'text/plain; charset=utf-8', data, text: () => data.toString('utf8') };
    }),
    undefined,
  );
}

/** `name`, `name:id` or `<:name:id>` → a reaction emoji object. */
export function parseEmoji(raw: string): { id: string | null; name: string } {
  const m = /^<?a?:?([^:<>]+):(\d+)>?$/.exec(raw);
  return m ? { name: m[1] ?? '', id: m[2] ?? null } : { id: null, name: raw };
}

function sameEmoji(a: { id: string | null; name: string }, b: { id: string | null; name: string }): boolean {
  return a.id !== null || b.id !== null ? a.id === b.id : a.name === b.name;
}

/** Add `userId`'s reaction; false if it was already there. */
export function addReaction(msg: FakeMessage, emoji: { id: string | null; name: string }, userId: string, botId: string): boolean {
  let reaction = msg.reactions.find((r) => sameEmoji(r.emoji, emoji));
  if (!reaction) {
    reaction = { emoji, count: 0, me: false, userIds: [] };
    msg.reactions.push(reaction);
  }
  if (reaction.userIds.includes(userId)) return false;
  reaction.userIds.push(userId);
  reaction.count = reaction.userIds.length;
  reaction.me = reaction.userIds.includes(botId);
  return true;
}

/** Remove `userId`'s reaction; false if there was none. */
export function removeReaction(msg: FakeMessage, emoji: { id: string | null; name: string }, userId: string, botId: string): boolean {
  const reaction = msg.reactions.find((r) => sameEmoji(r.emoji, emoji));
  if (!reaction?.userIds.includes(userId)) return false;
  reaction.userIds = reaction.userIds.filter((id) => id !== userId);
  reaction.count = reaction.userIds.length;
  reaction.me = reaction.userIds.includes(botId);
  if (reaction.count === 0) msg.reactions.splice(msg.reactions.indexOf(reaction), 1);
  return true;
}

/** Apply an edit (PATCH body + new files) the way Discord does; `attachments` lists what to keep. */
export function applyEdit(
  msg: FakeMessage,
  body: { content?: string; embeds?: Json[]; components?: Json[]; attachments?: Json[]; flags?: number },
  added: FakeAttachment[],
): void {
  if (body.content !== undefined) msg.content = body.content ?? '';
  if (body.embeds !== undefined) msg.embeds = body.embeds ?? [];
  if (body.components !== undefined) msg.components = body.components ?? [];
  if (Array.isArray(body.attachments)) {
    const keep = new Set(body.attachments.map((a) => String(a.id)));
    msg.attachments = msg.attachments.filter((a) => keep.has(a.id));
  }
  msg.attachments = [...msg.attachments, ...added];
  // Editing a deferred ("thinking…") response turns it into a real message.
  // Ephemerality can't be changed by an edit.
  const flags = typeof body.flags === 'number' ? body.flags : msg.flags;
  msg.flags = (flags & ~MessageFlag.Loading & ~MessageFlag.Ephemeral) | (msg.flags & MessageFlag.Ephemeral);
  msg.edited_timestamp = new Date().toISOString();
}
