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
  /** The files uploaded with it (output.txt, plots, files the program wrote): a re-run replaces them. */
  fileIds: readonly string[];
}

const UPLOAD_FAILED = '⚠️ The files could not be attached, so only this message is shown.';

/**
 * Everything the bot writes as a reply: the message (with unfurling off: output is not a link
 * preview), its files (the full output when the preview was cut, the files the program left) in
 * the same thread, and updates and deletions of replies, files included. A failed upload only adds
 * a note.
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
      const sent: PostedReply = { ...target, ts: posted.ts, fileIds: [] };
      return { ...sent, fileIds: await this.attach(sent, reply) };
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

  async update(sent: PostedReply, reply: Reply): Promise<PostedReply> {
    await this.client.chat.update({ channel: sent.channel, ts: sent.ts, ...replyMessage(reply, sent.notes) });
    await this.deleteFiles(sent); // no stale output.txt or plot from the earlier run
    return { ...sent, fileIds: await this.attach(sent, reply) };
  }

  async remove(sent: PostedReply): Promise<void> {
    await this.client.chat.delete({ channel: sent.channel, ts: sent.ts });
    await this.deleteFiles(sent);
  }

  /**
   * Uploads the reply's files into the reply's thread and returns their ids; on failure, says so
   * in the reply.
   */
  private async attach(sent: PostedReply, reply: Reply): Promise<string[]> {
    if (reply.attachments.length === 0) return [];
    try {
      const uploaded = await this.client.files.uploadV2({
        channel_id: sent.channel,
        thread_ts: sent.threadTs ?? sent.ts,
        file_uploads: reply.attachments.map((file) => ({ file: file.data, filename: file.name, title: file.name })),
      });
      return uploadedIds(uploaded);
    } catch (error) {
      this.log.warn({ channel: sent.channel, ts: sent.ts, reason: describeSlackError(error) }, 'could not upload the files');
      await this.client.chat.update({ channel: sent.channel, ts: sent.ts, ...replyMessage(reply, [...sent.notes, UPLOAD_FAILED]) });
      return [];
    }
  }

  /** Deletes the files uploaded with a reply; one that can't be deleted is logged, not fatal. */
  private async deleteFiles(sent: PostedReply): Promise<void> {
    for (const file of sent.fileIds) {
      try {
        await this.client.files.delete({ file });
      } catch (error) {
        this.log.warn({ channel: sent.channel, file, reason: describeSlackError(error) }, 'could not delete a file of an earlier reply');
      }
    }
  }
}

/** The ids of the files files.uploadV2 uploaded (it answers with one completion per file). */
function uploadedIds(result: webApi.WebAPICallResult): string[] {
  const completions = (result as { files?: Array<{ files?: Array<{ id?: string }> }> }).files ?? [];
  return completions.flatMap((completion) => completion.files ?? []).flatMap((file) => (file.id ? [file.id] : []));
}
