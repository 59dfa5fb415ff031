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
  const badComponents = componentsError(body.components ?? []);
  if (badComponents) return badComponents;
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

/** Action rows as Discord checks them: at most 5 rows of at most 5 components, custom_ids short and unique. */
function componentsError(rows: Json[]): Reply | undefined {
  if (rows.length > Limits.actionRows) return invalidFormBody('components', 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.actionRows} or fewer in length.`);
  const seen = new Set<string>();
  for (const [r, row] of rows.entries()) {
    const components = Array.isArray(row.components) ? (row.components as Json[]) : [];
    if (components.length > Limits.rowComponents) {
      return invalidFormBody(`components.${r}.components`, 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.rowComponents} or fewer in length.`);
    }
    for (const [c, component] of components.entries()) {
      const id = component.custom_id;
      if (typeof id !== 'string') continue; // link buttons have none
      const field = `components.${r}.components.${c}.custom_id`;
      if (id.length > Limits.customIdChars) return invalidFormBody(field, 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${Limits.customIdChars} in length.`);
      if (seen.has(id)) return invalidFormBody(field, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(id);
    }
  }
  return undefined;
}
