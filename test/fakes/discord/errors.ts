/** Discord's JSON error responses, by error code, so faults and validation answer like the real API. */

export interface DiscordErrorReply {
  status: number;
  body: { message: string; code: number; errors?: unknown };
}

const KNOWN: Record<number, [status: number, message: string]> = {
  0: [401, '401: Unauthorized'],
  10003: [404, 'Unknown Channel'],
  10008: [404, 'Unknown Message'],
  10013: [404, 'Unknown User'],
  10014: [404, 'Unknown Emoji'],
  10015: [404, 'Unknown Webhook'],
  10062: [404, 'Unknown interaction'],
  40005: [413, 'Request entity too large'],
  40060: [400, 'Interaction has already been acknowledged.'],
  50001: [403, 'Missing Access'],
  50005: [403, 'Cannot edit a message authored by another user'],
  50006: [400, 'Cannot send an empty message'],
  50007: [403, 'Cannot send messages to this user'],
  50013: [403, 'Missing Permissions'],
  50027: [401, 'Invalid Webhook Token'],
  50035: [400, 'Invalid Form Body'],
};

/** Build the reply for a Discord error code; unknown codes default to 400. */
export function discordError(code: number, overrides: { status?: number; message?: string; errors?: unknown } = {}): DiscordErrorReply {
  const [status, message] = KNOWN[code] ?? [400, `Error ${code}`];
  const body: DiscordErrorReply['body'] = { message: overrides.message ?? message, code };
  if (overrides.errors !== undefined) body.errors = overrides.errors;
  return { status: overrides.status ?? status, body };
}

/** 50035 with Discord's nested `errors` shape for one field, e.g. ('content', 'BASE_TYPE_MAX_LENGTH', ...). */
export function invalidFormBody(field: string, code: string, message: string): DiscordErrorReply {
  const errors: Record<string, unknown> = {};
  let node = errors;
  const parts = field.split('.');
  parts.forEach((part, i) => {
    const next: Record<string, unknown> = i === parts.length - 1 ? { _errors: [{ code, message }] } : {};
    node[part] = next;
    node = next;
  });
  return discordError(50035, { errors });
}
