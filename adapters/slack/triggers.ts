import type { App, RespondFn, webApi } from '@slack/bolt';
import type { Answers, Ask } from '../../src/answers.js';
import { interpret, readCode, type CodeMode, type CommandWords, type Intake } from '../../src/intake.js';
import type { Trigger } from '../../src/request.js';
import { attachedFiles, type FileDownloader } from './attachments.js';
import type { Deduplicator } from './dedup.js';
import { hourglass } from './hourglass.js';
import { toSlackMessage, type MessageCache, type SlackMessage } from './message-cache.js';
import { typedText } from './message-text.js';
import type { PostedReply, ReplyPoster } from './poster.js';
import { privateMessage } from './reply-message.js';

/** The slash commands and the message shortcut's callback_id, as declared in manifest.json. */
export const CODE_COMMANDS: CommandWords = { run: '/run', timeit: '/timeit' };
export const RUN_SHORTCUT = 'run_python';

export interface TriggerDeps {
  answers: Answers<PostedReply>;
  poster: ReplyPoster;
  client: webApi.WebClient;
  cache: MessageCache;
  dedup: Deduplicator;
  /** The reaction name (without colons) that runs a message. */
  runReaction: string;
  /** Fetches a file attached to a message, for its run. */
  download: FileDownloader;
}

/** A request as Slack delivers it, before it becomes the core's Ask. */
interface SlackAsk {
  trigger: Trigger;
  user: string;
  channel: string;
  /** The text holding the code, in Slack's wire format. */
  text: string;
  /** How its text, as typed, is read: the first time and again on an edit (a timing stays a timing). */
  read(typed: string): Intake;
  /**
   * The message holding the code: the reply goes in its thread, and follows its edits and deletion;
   * its files are in the run's working directory.
   */
  message?: SlackMessage;
  /** Commands and shortcuts: answers only the asker sees (notices, or a reply the channel refused). */
  respond?: RespondFn;
  notes?: string[];
}

/**
 * Where a message enters: every way to ask for a run becomes an Ask for the shared pipeline.
 * Commands and shortcuts are acked before anything else (Slack wants the ack within 3 s; events
 * Bolt acks by itself), then the work happens.
 */
export function registerTriggers(app: App, deps: TriggerDeps): void {
  const { answers, cache, dedup, runReaction } = deps;
  const toAsk = (slack: SlackAsk) => askFor(slack, deps);

  // /run runs its text, /timeit times it: both read it as the code itself, after a version if it names one.
  for (const [mode, name] of Object.entries(CODE_COMMANDS) as Array<[CodeMode, string]>) {
    app.command(name, async ({ command, ack, respond }) => {
      await ack();
      answers.answer(
        toAsk({
          trigger: 'slash',
          user: command.user_id,
          channel: command.channel_id,
          text: command.text,
          read: (typed) => readCode(typed, mode),
          respond,
          // Nobody else sees the command, so the result says who ran it.
          notes: [`Requested by <@${command.user_id}> with \`${name}\``],
        }),
      );
    });
  }

  app.shortcut(RUN_SHORTCUT, async ({ shortcut, ack, respond }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const { channel, user } = shortcut;
    cache.remember(channel.id, shortcut.message);
    const message = toSlackMessage(shortcut.message);
    if (!message) return;
    answers.answer(
      toAsk({
        trigger: 'context_menu',
        user: user.id,
        channel: channel.id,
        text: message.text,
        // Chosen on purpose for this message: with no code block in it, the whole text is the code.
        read: (typed) => interpret(typed, { explicit: true, raw: true }),
        message,
        respond,
      }),
    );
  });

  app.event('app_mention', async ({ event }) => {
    if (!event.user || event.bot_id) return; // other bots don't drive this one
    const message = toSlackMessage(event);
    if (message) addressed(event.user, event.channel, message);
  });

  // Every message in the bot's conversations passes here: DMs run; the rest is remembered, so a
  // reaction needs no API call, and edits and deletions of sources reach their replies.
  app.event('message', async ({ event }) => {
    switch (event.subtype) {
      case undefined:
      case 'file_share': {
        // file_share: a message with files attached (code and the CSV it reads).
        cache.remember(event.channel, event);
        const message = toSlackMessage(event);
        if (event.channel_type === 'im' && message && !fromBot(event)) addressed(event.user, event.channel, message);
        return;
      }
      case 'message_changed': {
        // A deleted message that has replies (ours, say) stays behind as a tombstone.
        if ((event.message as { subtype?: string }).subtype === 'tombstone') return deleted(event.channel, event.message.ts);
        cache.remember(event.channel, event.message);
        const edited = toSlackMessage(event.message);
        if (!edited) return;
        answers.edited(sourceKey(event.channel, edited.ts), edited.text);
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
    answers.answer(toAsk({ trigger: 'reaction', user: event.user, channel, text: message.text, read: addressedRead, message }));
  });

  /** A mention or a DM (a DM is addressed to the bot): each message runs once, even when it arrives as both. */
  function addressed(user: string, channel: string, message: SlackMessage): void {
    if (!dedup.first(`message:${channel}/${message.ts}`)) return;
    answers.answer(toAsk({ trigger: 'message', user, channel, text: message.text, read: addressedRead, message }));
  }

  function deleted(channel: string, ts: string): void {
    cache.forget(channel, ts);
    answers.deleted(sourceKey(channel, ts));
  }
}

/** The core's Ask for a Slack request: replies go in the message's thread (a /run result: the channel). */
function askFor(slack: SlackAsk, { poster, client, download }: TriggerDeps): Ask<PostedReply> {
  const { trigger, user, channel, text, message, respond } = slack;
  const target = { channel, threadTs: message ? (message.threadTs ?? message.ts) : undefined, notes: slack.notes ?? [] };
  return {
    trigger,
    user,
    channel,
    text,
    read: (wire) => slack.read(typedText(wire)),
    ...(message ? { source: sourceKey(channel, message.ts), messageId: message.ts, indicator: hourglass(client, { channel, ts: message.ts }) } : {}),
    ...(message?.files.length ? { files: attachedFiles(message.files, download) } : {}),
    post: (reply) => poster.post(target, reply, respond),
    ...(respond ? { tell: async (reply) => void (await respond(privateMessage(reply))) } : {}),
  };
}

/**
 * Sent by another bot: bots don't drive this one. (Bolt drops this one's own messages, the files
 * it uploads with a reply included, before any listener.)
 */
function fromBot(event: object): boolean {
  return 'bot_id' in event && event.bot_id !== undefined;
}

/** A mention, a DM or a reaction: code blocks or one inline span; without code, the how-to. */
function addressedRead(typed: string): Intake {
  return interpret(typed, { explicit: true });
}

function sourceKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}
