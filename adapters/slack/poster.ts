import type { RespondFn, webApi } from '@slack/bolt';
import type { PostedReplies } from '../../src/answers.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import { describeSlackError, platformError } from './errors.js';
import { cannotPostHere, privateMessage, replyMessage } from './reply-message.js';

/** Where a reply goes: a channel, the thread when it answers a message, and notes shown under it. */
export interface ReplyTarget {
  channel: string;
  threadTs?: string;
  /** Shown under the reply, every time it is updated too ("Requested by @you with /run"). */
  notes: readonly string[];
}

/** A reply the bot posted, so it can be updated or deleted later. */
export interface PostedReply extends ReplyTarget {
  ts: string;
}

const UPLOAD_FAILED = '⚠️ The full output could not be attached, so only this preview is shown.';

/**
 * Everything the bot writes as a reply: the message (with unfurling off: output is not a link
 * preview), the full output as a file in the same thread when the preview was cut, and updates and
 * deletions of replies. A failed upload only adds a note.
 */
export class ReplyPoster implements PostedReplies<PostedReply> {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
  ) {}

  /**
   * Posts a new reply; when the channel refuses it and the asker can be answered privately
   * (`respond`: commands and shortcuts), the result goes there with how to fix it. Undefined when
   * it was not posted in the channel (logged).
   */
  async post(target: ReplyTarget, reply: Reply, respond?: RespondFn): Promise<PostedReply | undefined> {
    try {
      const posted = await this.client.chat.postMessage({
        channel: target.channel,
        ...(target.threadTs === undefined ? {} : { thread_ts: target.threadTs }),
        ...replyMessage(reply, target.notes),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!posted.ts) throw new Error('chat.postMessage answered without the message ts');
      const sent: PostedReply = { ...target, ts: posted.ts };
      await this.attach(sent, reply);
      return sent;
    } catch (error) {
      const reason = describeSlackError(error);
      if (!respond) {
        this.log.warn({ channel: target.channel, reason }, 'could not post the reply');
        return undefined;
      }
      this.log.warn({ channel: target.channel, reason }, 'could not post in the channel; answered privately');
      await respond(privateMessage(reply, cannotPostHere(platformError(error))));
      return undefined;
    }
  }

  async update(sent: PostedReply, reply: Reply): Promise<void> {
    await this.client.chat.update({ channel: sent.channel, ts: sent.ts, ...replyMessage(reply, sent.notes) });
    await this.attach(sent, reply);
  }

  async remove(sent: PostedReply): Promise<void> {
    await this.client.chat.delete({ channel: sent.channel, ts: sent.ts });
  }

  /** Uploads the reply's files (output.txt) into the reply's thread; on failure, says so in the reply. */
  private async attach(sent: PostedReply, reply: Reply): Promise<void> {
    if (reply.attachments.length === 0) return;
    try {
      await this.client.files.uploadV2({
        channel_id: sent.channel,
        thread_ts: sent.threadTs ?? sent.ts,
        file_uploads: reply.attachments.map((file) => ({ file: file.data, filename: file.name, title: file.name })),
      });
    } catch (error) {
      this.log.warn({ channel: sent.channel, ts: sent.ts, reason: describeSlackError(error) }, 'could not upload the full output');
      await this.client.chat.update({ channel: sent.channel, ts: sent.ts, ...replyMessage(reply, [...sent.notes, UPLOAD_FAILED]) });
    }
  }
}
