import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';

/**
 * Reading Discord's failures. Log fields carry the code, status and message only: a request's URL
 * can hold an interaction token, and its body the user's output.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) {
    return { code: error.code, status: error.status, method: error.method, reason: error.message };
  }
  if (error instanceof HTTPError) return { status: error.status, method: error.method, reason: error.message };
  return { err: error };
}

/** The upload is over the channel's size limit. */
export function isTooLarge(error: unknown): boolean {
  if (error instanceof DiscordAPIError) return error.code === RESTJSONErrorCodes.RequestEntityTooLarge || error.status === 413;
  return error instanceof HTTPError && error.status === 413;
}

/** A reply to a message that no longer exists: its author deleted it while the code ran. */
export function isUnknownReference(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.message.includes('MESSAGE_REFERENCE_UNKNOWN_MESSAGE');
}

/** Gateway close code 4014: a privileged intent was asked for but isn't granted. */
export function isDisallowedIntents(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // @discordjs/ws says "Used disallowed intents"; discord.js' own error has the code DisallowedIntents.
  return /disallowed intents/i.test(error.message) || (error as { code?: unknown }).code === 'DisallowedIntents';
}
