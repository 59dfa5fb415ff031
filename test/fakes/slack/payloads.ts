import { randomUUID } from 'node:crypto';
import { nextId, nextTs } from './ids.js';
import type { StoredFile } from './store.js';
import type { FakeTeam } from './team.js';
import { publicFile } from './web-api.js';

/** An Events API event (the inner `event`). */
export type SlackEvent = Record<string, unknown> & { type: string };

/** The body Slack POSTs for an event, and the `payload` of an events_api envelope. */
export interface EventCallback {
  token: string;
  team_id: string;
  context_team_id: string;
  api_app_id: string;
  event: SlackEvent;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: { enterprise_id: null; team_id: string; user_id: string; is_bot: boolean; is_enterprise_install: boolean }[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

/** A slash command: form fields in HTTP mode, the `payload` object in Socket Mode. */
export interface SlashCommand {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export interface MessageOpts {
  text: string;
  channel?: string;
  user?: string;
  ts?: string;
  threadTs?: string;
  /** Files shared with the message: stored in the fake, downloadable with the bot token. */
  files?: FileSpec[];
}

/** A file a user attaches to a message. */
export interface FileSpec {
  name: string;
  content: string | Uint8Array;
  /** Default: from the name's extension, as the fake's store guesses it. */
  mimetype?: string;
}

/** The verification token Slack puts in payloads (deprecated, but still present). */
export const VERIFICATION_TOKEN = 'fake-verification-token';

export const DEFAULT_CHANNEL = 'C0FAKECHAN';
export const DEFAULT_DM = 'D0FAKEDM';

/**
 * Builders for realistic inbound payloads. `responseUrl()` mints a response_url (the fake's own, so
 * POSTs to it are recorded); `shareFile` stores a message's file in the fake. Message `ts` values
 * come from the same clock as the fake's messages.
 */
export function createPayloads(team: FakeTeam, responseUrl: () => string, shareFile: (spec: FileSpec) => StoredFile) {
  const triggerId = (): string => `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 1e10)}.${randomUUID().replace(/-/g, '')}`;

  /** A message's files as Slack shows them, shared once however many payloads carry them. */
  const share = (o: MessageOpts): Record<string, unknown>[] | undefined => o.files?.map((spec) => publicFile(shareFile(spec)));

  /** A user's message object (what `event`, `message` and `previous_message` hold). */
  const userMessage = (o: MessageOpts, ts: string, files = share(o)): SlackEvent => ({
    type: 'message',
    user: o.user ?? team.userId,
    text: o.text,
    ts,
    client_msg_id: randomUUID(),
    team: team.teamId,
    ...(o.threadTs !== undefined ? { thread_ts: o.threadTs } : {}),
    ...(files !== undefined ? { files, upload: false, display_as_bot: false } : {}),
  });

  const eventCallback = (event: SlackEvent, opts: { eventId?: string; eventTime?: number } = {}): EventCallback => ({
    token: VERIFICATION_TOKEN,
    team_id: team.teamId,
    context_team_id: team.teamId,
    api_app_id: team.appId,
    event,
    type: 'event_callback',
    event_id: opts.eventId ?? nextId('Ev'),
    event_time: opts.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team.teamId, user_id: team.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(randomUUID()).toString('base64url')}`,
  });

  const message = (o: MessageOpts, channelType: 'channel' | 'im'): EventCallback => {
    const ts = o.ts ?? nextTs();
    const channel = o.channel ?? (channelType === 'im' ? DEFAULT_DM : DEFAULT_CHANNEL);
    // Slack marks a message event that shares files with a subtype (app_mention events carry none).
    const subtype = o.files === undefined ? {} : { subtype: 'file_share' };
    return eventCallback({ ...userMessage(o, ts), ...subtype, channel, event_ts: ts, channel_type: channelType });
  };

  return {
    eventCallback,

    /** `app_mention`; `text` gets a leading `<@bot>` unless it already mentions the bot. */
    appMention(o: MessageOpts): EventCallback {
      const ts = o.ts ?? nextTs();
      const mention = `<@${team.botUserId}>`;
      const text = o.text.includes(mention) ? o.text : `${mention} ${o.text}`;
      const { type: _t, ...msg } = userMessage({ ...o, text }, ts);
      return eventCallback({ type: 'app_mention', ...msg, channel: o.channel ?? DEFAULT_CHANNEL, event_ts: ts });
    },

    /** `message` in a channel (channel_type 'channel'); subtype `file_share` when it has `files`. */
    channelMessage: (o: MessageOpts): EventCallback => message(o, 'channel'),

    /** `message` in a DM with the bot (channel_type 'im'); subtype `file_share` when it has `files`. */
    dmMessage: (o: MessageOpts): EventCallback => message(o, 'im'),

    /** `message_changed`: the user edited message `ts` from `oldText` to `text`. */
    messageChanged(o: MessageOpts & { ts: string; oldText: string; channelType?: 'channel' | 'im' }): EventCallback {
      const eventTs = nextTs();
      const files = share(o); // the same files before and after the edit
      return eventCallback({
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: o.channel ?? DEFAULT_CHANNEL,
        channel_type: o.channelType ?? 'channel',
        ts: eventTs,
        event_ts: eventTs,
        message: { ...userMessage(o, o.ts, files), edited: { user: o.user ?? team.userId, ts: eventTs } },
        previous_message: userMessage({ ...o, text: o.oldText }, o.ts, files),
      });
    },

    /** `message_deleted`: message `ts` was deleted. */
    messageDeleted(o: { ts: string; channel?: string; user?: string; oldText?: string; channelType?: 'channel' | 'im' }): EventCallback {
      const eventTs = nextTs();
      return eventCallback({
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: o.channel ?? DEFAULT_CHANNEL,
        channel_type: o.channelType ?? 'channel',
        ts: eventTs,
        event_ts: eventTs,
        deleted_ts: o.ts,
        previous_message: userMessage({ text: o.oldText ?? '', ...(o.user !== undefined ? { user: o.user } : {}) }, o.ts),
      });
    },

    /** `reaction_added` on message `ts`. */
    reactionAdded: (o: ReactionOpts): EventCallback => eventCallback(reaction('reaction_added', o)),

    /** `reaction_removed` from message `ts`. */
    reactionRemoved: (o: ReactionOpts): EventCallback => eventCallback(reaction('reaction_removed', o)),

    /** `url_verification`, the challenge Slack sends when the Events URL is configured (HTTP mode only). */
    urlVerification: (challenge: string = randomUUID()) => ({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' as const }),

    /** A slash command (default `/run`). */
    slashCommand(o: { text: string; command?: string; channel?: string; user?: string }): SlashCommand {
      return {
        token: VERIFICATION_TOKEN,
        team_id: team.teamId,
        team_domain: team.teamDomain,
        channel_id: o.channel ?? DEFAULT_CHANNEL,
        channel_name: 'general',
        user_id: o.user ?? team.userId,
        user_name: 'fake.user',
        command: o.command ?? '/run',
        text: o.text,
        api_app_id: team.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl(),
        trigger_id: triggerId(),
      };
    },

    /** A message shortcut (`message_action`) on a user's message. */
    messageShortcut(o: { callbackId: string; text: string; ts?: string; channel?: string; user?: string; author?: string; files?: FileSpec[] }) {
      const ts = o.ts ?? nextTs();
      const user = o.user ?? team.userId;
      return {
        type: 'message_action' as const,
        token: VERIFICATION_TOKEN,
        action_ts: nextTs(),
        team: { id: team.teamId, domain: team.teamDomain },
        user: { id: user, username: 'fake.user', team_id: team.teamId, name: 'fake.user' },
        channel: { id: o.channel ?? DEFAULT_CHANNEL, name: 'general' },
        is_enterprise_install: false,
        enterprise: null,
        callback_id: o.callbackId,
        trigger_id: triggerId(),
        response_url: responseUrl(),
        message_ts: ts,
        message: userMessage({ text: o.text, user: o.author ?? user, ...(o.files === undefined ? {} : { files: o.files }) }, ts),
      };
    },
  };

  function reaction(type: 'reaction_added' | 'reaction_removed', o: ReactionOpts): SlackEvent {
    return {
      type,
      user: o.user ?? team.userId,
      reaction: o.reaction,
      item_user: o.itemUser ?? team.userId,
      item: { type: 'message', channel: o.channel ?? DEFAULT_CHANNEL, ts: o.ts },
      event_ts: nextTs(),
    };
  }
}

export interface ReactionOpts {
  reaction: string;
  ts: string;
  channel?: string;
  user?: string;
  /** Author of the reacted-to message. */
  itemUser?: string;
}

export type Payloads = ReturnType<typeof createPayloads>;
