import {
  Events,
  type Client,
  type Message,
  type MessageReaction,
  type PartialMessage,
  type PartialMessageReaction,
  type User,
} from 'discord.js';
import type { Answers, Ask } from '../../src/answers.js';
import type { DiscordConfig } from '../../src/config.js';
import type { Indicator } from '../../src/evaluator.js';
import type { Logger } from '../../src/log.js';
import type { Trigger } from '../../src/request.js';
import type { Work } from '../../src/work.js';
import { isAllowed } from './access.js';
import { attachedFiles } from './attachments.js';
import { resultButtons } from './buttons.js';
import { deliver, type Destination, type PostedReply } from './post.js';
import { isAddressed, readMessage } from './read.js';

export interface MessageDeps {
  client: Client;
  config: DiscordConfig;
  answers: Answers<PostedReply>;
  /** The Python versions offered, the default first: "Run in" buttons offer the others. */
  versions: readonly string[];
  work: Work;
  log: Logger;
}

/**
 * Messages addressed to the bot (a prefix, a mention, a DM) and messages given the run emoji
 * become Asks; their edits and deletions reach the replies that follow them.
 */
export function listenForMessages(deps: MessageDeps): void {
  const { client, config, answers, work } = deps;

  client.on(Events.MessageCreate, (message) => {
    // Bots are ignored, the bot itself first of all: Discord echoes its own replies back.
    if (message.author.bot || !isAllowed(config, message) || !isAddressed(message, config)) return;
    answers.answer(messageAsk(deps, message, message.author, 'message', true));
  });

  client.on(Events.MessageReactionAdd, (reaction, user) => {
    const { message } = reaction;
    if (user.id === client.user?.id || !isRunEmoji(reaction, config.runEmoji) || !isAllowed(config, message)) return;
    // Answered within the edit window: the reaction would run nothing, so it isn't worth reading.
    if (answers.follows(message.id)) return;
    work.start('reaction', async () => {
      // Partials: reactions on messages from before the bot started, and from users it hasn't seen.
      const reactor = user.partial ? await user.fetch() : user;
      const source = message.partial ? await message.fetch() : message;
      if (reactor.bot || source.author.id === client.user?.id) return;
      answers.answer(messageAsk(deps, source, reactor, 'reaction', isAddressed(source, config)));
    });
  });

  client.on(Events.MessageUpdate, (_before, after) => {
    if (!answers.follows(after.id)) return;
    if (!after.partial) return answers.edited(after.id, after.content);
    // Discord sent only part of the message (it wasn't cached): its text is read first.
    work.start('edit', async () => answers.edited(after.id, (await after.fetch()).content));
  });

  const deleted = (message: Message | PartialMessage) => answers.deleted(message.id);
  client.on(Events.MessageDelete, deleted);
  client.on(Events.MessageBulkDelete, (messages) => messages.forEach(deleted));
}

/**
 * A message someone asked to run, as the core's Ask: read the same way when it is edited, with ⏳
 * on it meanwhile, and answered by a reply to it. `explicit`: addressed to the bot, so a message
 * without code gets a notice.
 */
function messageAsk({ config, versions, log }: MessageDeps, message: Message, requester: User, trigger: Trigger, explicit: boolean): Ask<PostedReply> {
  const where = log.child({ trigger, guild: message.guildId, channel: message.channelId, message: message.id, user: requester.id });
  const buttons = resultButtons({ source: { kind: 'message', id: message.id }, owner: requester.id }, versions);
  return {
    trigger,
    user: requester.id,
    channel: message.channelId,
    source: message.id,
    messageId: message.id,
    text: message.content,
    read: (text) => readMessage(text, config, explicit),
    files: attachedFiles(message),
    indicator: hourglass(message),
    post: (reply) => deliver(destinationsFor(message, requester, buttons), reply, where),
  };
}

const ELSEWHERE = "⚠️ I couldn't post in the channel where you asked, so here is your result.";

/** A reply to the message, else the channel, else the requester's DMs. */
function destinationsFor(message: Message, requester: User, buttons: Destination['buttons']): Destination[] {
  const destinations: Destination[] = [{ what: 'reply', send: (p) => message.reply(p), buttons }];
  const { channel } = message;
  if (channel.isSendable()) destinations.push({ what: 'channel', send: (p) => channel.send(p), buttons });
  // In a DM the buttons couldn't find the message they act on.
  if (message.inGuild()) destinations.push({ what: 'dm', send: (p) => requester.send(p), note: ELSEWHERE });
  return destinations;
}

const HOURGLASS = '⏳';

/** ⏳ on the message while its run waits and runs. Cosmetic: where the bot can't react, the run goes on. */
function hourglass(message: Message): Indicator {
  let shown: MessageReaction | undefined;
  return {
    show: async () => void (shown = await message.react(HOURGLASS)),
    hide: async () => void (await shown?.users.remove()),
  };
}

/** A Unicode emoji matches with or without its variation selector (▶ and ▶️); a custom one by id. */
function isRunEmoji({ emoji }: MessageReaction | PartialMessageReaction, configured: string): boolean {
  const customId = /(\d{17,20})>?$/.exec(configured)?.[1];
  if (customId) return emoji.id === customId;
  const plain = (name: string) => name.replace(/\uFE0F/g, '');
  return emoji.name !== null && plain(emoji.name) === plain(configured);
}
