import type { Message, User } from 'discord.js';
import type { Intake } from '../../src/intake.js';
import type { Trigger } from '../../src/request.js';
import type { Bot } from './bot.js';
import { deliver, type Destination } from './deliver.js';
import { whilePending } from './pending.js';
import { evaluate, noticeFor } from './run.js';

const ELSEWHERE = "⚠️ I couldn't post in the channel where you asked, so here is your result.";

/**
 * Answers a message: runs its code (with ⏳ on it meanwhile) and replies to it, or edits the reply
 * it already has (after an edit). The reply is remembered for the edit window.
 */
export async function answerMessage(bot: Bot, source: Message, requester: User, trigger: Trigger, intake: Intake): Promise<void> {
  const turn = bot.tracker.begin(source.id);
  const log = bot.log.child({ trigger, guild: source.guildId, channel: source.channelId, message: source.id, user: requester.id });
  try {
    const asker = { user: requester.id, channel: source.channelId, messageId: source.id, trigger };
    const reply = intake.kind === 'run' ? await whilePending(source, log, () => evaluate(bot, asker, intake)) : noticeFor(intake);
    if (!bot.tracker.isLatest(turn)) return; // edited meanwhile (that run answers), or deleted
    const buttons = { source: { kind: 'message' as const, id: source.id }, owner: requester.id };
    const posted = await deliver(destinationsFor(bot, source, requester), reply, buttons, log);
    if (posted && bot.tracker.isWithdrawn(turn)) await posted.delete();
    else if (posted) bot.tracker.remember(source.id, posted);
  } finally {
    bot.tracker.finish(turn);
  }
}

/** The earlier reply (edited in place), a reply, the channel, then the requester's DMs. */
function destinationsFor(bot: Bot, source: Message, requester: User): Destination[] {
  const destinations: Destination[] = [];
  const earlier = bot.tracker.replyTo(source.id);
  if (earlier) destinations.push({ what: 'edit', send: (p) => earlier.edit(p), buttons: true });
  destinations.push({ what: 'reply', send: (p) => source.reply(p), buttons: true });
  const channel = source.channel;
  if (channel.isSendable()) destinations.push({ what: 'channel', send: (p) => channel.send(p), buttons: true });
  // In a DM the buttons couldn't find the message they act on.
  if (source.inGuild()) destinations.push({ what: 'dm', send: (p) => requester.send(p), buttons: false, note: ELSEWHERE });
  return destinations;
}
