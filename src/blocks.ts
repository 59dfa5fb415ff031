import { escapeCode, neutraliseFences } from './escape.js';
import type { PlatformProfile } from './platforms.js';

/** Text in a block of its own (program output, a file's text), as each platform writes one. */

export const OPEN_FENCE = '```\n';
export const CLOSE_FENCE = '\n```';

/** Escaped for the platform; inside a ``` block, backtick runs are broken up whatever the mode. */
export function escapeBody(text: string, profile: PlatformProfile): string {
  const escaped = escapeCode(text, profile.escape);
  return profile.codeFences ? neutraliseFences(escaped) : escaped;
}

/** An escaped body in a ``` block (chat), or as it is (a terminal). */
export function frame(body: string, profile: PlatformProfile): string {
  return profile.codeFences ? `${OPEN_FENCE}${body}${CLOSE_FENCE}` : body;
}
