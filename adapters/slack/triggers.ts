import type { App } from '@slack/bolt';
import type { Answers } from './answers.js';
import type { Deduplicator } from './dedup.js';
import { toSlackMessage, type MessageCache, type SlackMessage } from './message-cache.js';

/** The slash command and the message shortcut's callback_id, as declared in manifest.json. */
export const RUN_COMMAND = '/run';
export const RUN_SHORTCUT = 'run_python';

export interface TriggerDeps {
  answers: Answers;
  cache: MessageCache;
  dedup: Deduplicator;
  /** The reaction name (without colons) that runs a message. */
  runReaction: string;
}

/**
 * Where a message enters: every way to ask for a run becomes an Ask for the same pipeline.
 * Commands and shortcuts are acked before anything else (Slack wants the ack within 3 s; events
 * Bolt acks by itself), then the work happens.
 */
export function registerTriggers(app: App, { answers, cache, dedup, runReaction }: TriggerDeps): void {
  app.command(RUN_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    await answers.answer({
      trigger: 'slash',
      user: command.user_id,
      channel: command.channel_id,
      text: command.text,
      extract: { explicit: true, raw: true },
      respond,
      // Nobody else sees the command, so the result says who ran it.
      note: `Requested by <@${command.user_id}> with \`${RUN_COMMAND}\``,
    });
  });

  app.shortcut(RUN_SHORTCUT, async ({ shortcut, ack, respond }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const { message, channel, user } = shortcut;
    cache.remember(channel.id, message);
    await answers.answer({
      trigger: 'context_menu',
      user: user.id,
      channel: channel.id,
      text: message.text ?? '',
      // Chosen on purpose for this message: with no code block in it, the whole text is the code.
      extract: { explicit: true, raw: true },
      source: { ts: message.ts, threadTs: message.thread_ts },
      respond,
    });
  });

  app.event('app_mention', async ({ event }) => {
    if (!event.user || event.bot_id) return; // other bots don't drive this one
    await answerMessage(event.user, event.channel, { ts: event.ts, text: event.text, threadTs: event.thread_ts });
  });

  // Every message in the bot's conversations passes here: DMs run; the rest is remembered, so a
  // reaction needs no API call, and edits and deletions of sources reach their replies.
  app.event('message', async ({ event }) => {
    switch (event.subtype) {
      case undefined:
        cache.remember(event.channel, event);
        if (event.channel_type === 'im' && !event.bot_id) {
          await answerMessage(event.user, event.channel, { ts: event.ts, text: event.text ?? '', threadTs: event.thread_ts });
        }
        return;
      case 'message_changed': {
        // A deleted message that has replies (ours, say) stays behind as a tombstone.
        if ((event.message as { subtype?: string }).subtype === 'tombstone') return deleted(event.channel, event.message.ts);
        cache.remember(event.channel, event.message);
        const edited = toSlackMessage(event.message);
        if (edited) answers.edited(event.channel, edited);
        return;
      }
      case 'message_deleted':
        return deleted(event.channel, event.deleted_ts);
    }
  });

  app.event('reaction_added', async ({ event }) => {
    if (event.reaction !== runReaction || event.item.type !== 'message') return;
    const { channel, ts } = event.item;
    const message = await cache.find(channel, ts);
    if (!message) return;
    await answers.answer({
      trigger: 'reaction',
      user: event.user,
      channel,
      text: message.text,
      extract: { explicit: true },
      source: { ts, threadTs: message.threadTs },
    });
  });

  /** A mention or a DM: each message runs once, even when it arrives as both. */
  async function answerMessage(user: string, channel: string, message: SlackMessage): Promise<void> {
    if (!dedup.first(`message:${channel}/${message.ts}`)) return;
    await answers.answer({
      trigger: 'message',
      user,
      channel,
      text: message.text,
      extract: { explicit: true },
      source: { ts: message.ts, threadTs: message.threadTs },
    });
  }

  function deleted(channel: string, ts: string): void {
    cache.forget(channel, ts);
    answers.deleted(channel, ts);
  }
}
