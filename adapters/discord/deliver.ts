import type { Message } from 'discord.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import type { ButtonTarget } from './components.js';
import { errorFields, isTooLarge, isUnknownReference } from './errors.js';
import { replyPayload, type ReplyPayload } from './payload.js';

/** One place a reply can go (a reply to the message, the channel, a DM, an interaction). */
export interface Destination {
  /** For logs: 'reply', 'channel', 'dm', 'edit', 'interaction', 'followup'. */
  what: string;
  send(payload: ReplyPayload): Promise<Message>;
  /** Whether the result's buttons work there (they act on the channel they are in). */
  buttons: boolean;
  note?: string;
}

const TOO_BIG = '⚠️ The full output was too big to attach.';

/**
 * Posts `reply` to the first destination that takes it, and returns the message; never throws.
 * An upload over the size limit is sent again without the file; any other failure moves on to
 * the next destination. A reply to a message deleted meanwhile is dropped: its author withdrew it.
 */
export async function deliver(destinations: Destination[], reply: Reply, buttons: ButtonTarget | undefined, log: Logger): Promise<Message | undefined> {
  for (const destination of destinations) {
    try {
      return await sendFitting(destination, reply, buttons, log);
    } catch (error) {
      if (isUnknownReference(error)) {
        log.info('the message was deleted while its code ran: reply dropped');
        return undefined;
      }
      log.warn({ destination: destination.what, ...errorFields(error) }, `could not post the reply (${destination.what})`);
    }
  }
  log.error({ tried: destinations.map((d) => d.what) }, 'could not post the reply anywhere: giving up');
  return undefined;
}

async function sendFitting(destination: Destination, reply: Reply, buttons: ButtonTarget | undefined, log: Logger): Promise<Message> {
  const payload = (files: boolean, ...notes: Array<string | undefined>) =>
    replyPayload(reply, { files, buttons: destination.buttons ? buttons : undefined, note: notes.filter(Boolean).join('\n') });
  try {
    return await destination.send(payload(true, destination.note));
  } catch (error) {
    if (!isTooLarge(error) || reply.attachments.length === 0) throw error;
    log.warn({ destination: destination.what, ...errorFields(error) }, 'the full output is over the upload limit: sending without it');
    return destination.send(payload(false, destination.note, TOO_BIG));
  }
}
