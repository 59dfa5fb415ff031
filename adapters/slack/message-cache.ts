import type { webApi } from '@slack/bolt';
import { ExpiringMap } from '../../src/expiring-map.js';
import type { Logger } from '../../src/log.js';
import { sharedFiles, type RawFile, type SharedFile } from './attachments.js';
import { describeSlackError } from './errors.js';

/** A message as the adapter needs it: where it sits, what it says (in Slack's wire format) and its files. */
export interface SlackMessage {
  ts: string;
  text: string;
  /** The thread it belongs to (its own ts for a thread's parent), if any. */
  threadTs?: string;
  /** The files attached to it: its code's run finds them in its working directory. */
  files: readonly SharedFile[];
}

/** The fields of a Slack message object (event, API result) this cache reads. */
interface RawMessage {
  ts?: string;
  text?: string;
  thread_ts?: string;
  files?: readonly RawFile[];
}

// A reaction usually follows its message within hours; the cap bounds memory in a busy workspace.
const REMEMBER_MS = 6 * 60 * 60_000;
const MAX_MESSAGES = 5_000;

/**
 * The text and files of messages the bot has seen (every message event in its channels passes
 * here), so a reaction can run a message without asking Slack: conversations.history may be
 * limited to one call a minute for distributed apps. On a miss, Slack is asked after all.
 */
export class MessageCache {
  private readonly messages = new ExpiringMap<string, SlackMessage>(REMEMBER_MS, MAX_MESSAGES);

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
  ) {}

  remember(channel: string, raw: RawMessage): void {
    const message = toSlackMessage(raw);
    if (message) this.messages.set(key(channel, message.ts), message);
  }

  forget(channel: string, ts: string): void {
    this.messages.delete(key(channel, ts));
  }

  /** The message, from memory or else from Slack; undefined when Slack can't say (logged). */
  async find(channel: string, ts: string): Promise<SlackMessage | undefined> {
    const known = this.messages.get(key(channel, ts));
    if (known) return known;
    try {
      const found = toSlackMessage((await this.fetch(channel, ts)) ?? {});
      if (found) this.messages.set(key(channel, ts), found);
      return found;
    } catch (error) {
      this.log.warn({ channel, ts, reason: describeSlackError(error) }, 'could not read a message from Slack');
      return undefined;
    }
  }

  /** A channel's top-level message is in its history; a thread reply only among the thread's replies. */
  private async fetch(channel: string, ts: string): Promise<RawMessage | undefined> {
    const history = await this.client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
    const top = history.messages?.find((message) => message.ts === ts);
    if (top) return top;
    const thread = await this.client.conversations.replies({ channel, ts, oldest: ts, latest: ts, inclusive: true });
    return thread.messages?.find((message) => message.ts === ts);
  }
}

export function toSlackMessage(raw: RawMessage): SlackMessage | undefined {
  if (raw.ts === undefined) return undefined;
  const thread = raw.thread_ts === undefined ? {} : { threadTs: raw.thread_ts };
  return { ts: raw.ts, text: raw.text ?? '', ...thread, files: sharedFiles(raw.files) };
}

function key(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}
