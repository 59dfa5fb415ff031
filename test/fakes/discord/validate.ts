import { Limits } from './constants.js';
import { discordError, invalidFormBody } from './errors.js';
import type { Reply } from './router.js';
import type { FakeState } from './state.js';
import type { Json, RecordedFile } from './types.js';

/** The message fields a bot sends, read defensively from a request body. */
export interface MessageBody {
  content?: string;
  embeds?: Json[];
  components?: Json[];
  attachments?: Json[];
  flags?: number;
  allowed_mentions?: { parse?: string[]; users?: string[]; replied_user?: boolean };
  message_reference?: { message_id?: string; channel_id?: string; fail_if_not_exists?: boolean };
  sticker_ids?: string[];
  poll?: Json;
  nonce?: string | number;
  tts?: boolean;
}

export function asMessageBody(body: unknown): MessageBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as MessageBody) : {};
}

/** Reject what Discord rejects: too long, too many files or embeds, too big, or empty. */
export function validateMessage(state: FakeState, body: MessageBody, files: RecordedFile[], requireContent: boolean): Reply | undefined {
  if (typeof body.content === 'string' && body.content.length > Limits.contentChars) {
    return invalidFormBody('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.contentChars} or fewer in length.`);
  }
  if ((body.embeds?.length ?? 0) > Limits.embeds) {
    return invalidFormBody('embeds', 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.embeds} or fewer in length.`);
  }
  if (files.length > Limits.attachments) {
    return invalidFormBody('attachments', 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.attachments} or fewer in length.`);
  }
  const bytes = files.reduce((n, f) => n + f.data.length, 0);
  if (bytes > state.config.maxUploadBytes) return discordError(40005);
  const empty =
    (body.content ?? '').trim() === '' &&
    !body.embeds?.length &&
    !body.components?.length &&
    !body.sticker_ids?.length &&
    body.poll === undefined &&
    files.length === 0;
  if (requireContent && empty) return discordError(50006);
  return undefined;
}
