import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import { describeSlackError } from './errors.js';
import { replyMessage } from './reply-message.js';

/** Where a reply goes: a channel, and the thread when it answers a message. */
export interface ReplyTarget {
  channel: string;
  threadTs?: string;
}

/** A reply the bot posted, so it can be updated or deleted later. */
export interface PostedReply extends ReplyTarget {
  ts: string;
}

const UPLOAD_FAILED = '⚠️ The full output could not be attached, so only this preview is shown.';

/**
 * Everything the bot writes as a reply: the message (with unfurling off: output is not a link
 * preview), the full output as a file in the same thread when the preview was cut, and updates and
 * deletions of replies. Failures to post or update throw; a failed upload only adds a note.
 */
export class ReplyPoster {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
  ) {}

  async post(target: ReplyTarget, reply: Reply, notes: readonly string[]): Promise<PostedReply> {
    const posted = await this.client.chat.postMessage({
      channel: target.channel,
      ...(target.threadTs === undefined ? {} : { thread_ts: target.threadTs }),
      ...replyMessage(reply, notes),
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!posted.ts) throw new Error('chat.postMessage answered without the message ts');
    const sent: PostedReply = { ...target, ts: posted.ts };
    await this.attach(sent, reply, notes);
    return sent;
  }

  async update(sent: PostedReply, reply: Reply, notes: readonly string[]): Promise<void> {
    await this.client.chat.update({ channel: sent.channel, ts: sent.ts, ...replyMessage(reply, notes) });
    await this.attach(sent, reply, notes);
  }

  async delete(sent: PostedReply): Promise<void> {
    await this.client.chat.delete({ channel: sent.channel, ts: sent.ts });
  }

  /** Uploads the reply's files (output.txt) into the reply's thread; on failure, says so in the reply. */
  private async attach(sent: PostedReply, reply: Reply, notes: readonly string[]): Promise<void> {
    if (reply.attachments.length === 0) return;
    try {
      await this.client.files.uploadV2({
        channel_id: sent.channel,
        thread_ts: sent.threadTs ?? sent.ts,
        file_uploads: reply.attachments.map((file) => ({ file: file.data, filename: file.name, title: file.name })),
      });
    } catch (error) {
      this.log.warn({ channel: sent.channel, ts: sent.ts, reason: describeSlackError(error) }, 'could not upload the full output');
      await this.client.chat.update({ channel: sent.channel, ts: sent.ts, ...replyMessage(reply, [...notes, UPLOAD_FAILED]) });
    }
  }
}
