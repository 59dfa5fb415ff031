import type { EscapeMode } from './platforms.js';

/**
 * Making untrusted text safe to post: the one place that knows each platform's escaping rules.
 *
 * Two steps, kept apart so the renderer can cut text between them:
 *   1. cleanTerminalText: platform-independent. Program output is written for a terminal, and
 *      terminals (ours too, for the console adapter) obey escape sequences; chat clients render
 *      bidi overrides. Neither must reach a reader.
 *   2. escapeCode / escapeProse: per platform, for text inside a ``` block or outside one.
 * Every escape only ever ADDS characters, so escaping a prefix never yields a longer text than
 * escaping the whole (the renderer's length budget relies on that).
 */

const ZWSP = '\u200b';

// ECMA-48 sequences a terminal acts on: OSC/DCS/SOS/PM/APC strings (up to BEL or ST; an
// unterminated one stops at the end of its line), CSI (7- and 8-bit), and two-byte ESC sequences.
const ANSI_SEQUENCE =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[0-?]*[ -\/]*[@-~]|\x1b[ -\/]*[0-~]/g;
// C0 controls except \t and \n (\r is handled first), and DEL.
const C0_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
const C1_CONTROL = /[\x80-\x9f]/g;
// Bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder what a
// reader sees ("Trojan Source"), so the text shown would differ from the text printed.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Output as a reader should see it: ANSI sequences stripped; a line rewritten with \r shows its
 * last version (as a progress bar ends up on a terminal); other C0 controls made visible as
 * Unicode control pictures (␀ ␇ ␛ …) rather than silently lost; C1 controls, bidi controls and
 * lone surrogates removed or replaced. \n, \t and U+FFFD (invalid UTF-8) are kept.
 */
export function cleanTerminalText(text: string): string {
  return collapseCarriageReturns(text.replace(ANSI_SEQUENCE, ''))
    .replace(C0_CONTROL, controlPicture)
    .replace(C1_CONTROL, '')
    .replace(BIDI_CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.split('\r').filter((part) => part !== '').pop() ?? '')
    .join('\n');
}

function controlPicture(control: string): string {
  const code = control.charCodeAt(0);
  return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
}

/** Text that will sit inside a ``` block, already cleaned by cleanTerminalText. */
export function escapeCode(text: string, mode: EscapeMode): string {
  switch (mode) {
    case 'discord':
      return neutraliseFences(neutraliseDiscordMentions(text));
    case 'slack':
      return neutraliseFences(escapeSlackEntities(text));
    case 'plain':
      return text;
  }
}

/**
 * Text outside a code block (a status line's reason, a notice). It shows literally: on Discord,
 * markdown is backslash-escaped; Slack has no markdown escape, so only fences are broken up.
 */
export function escapeProse(text: string, mode: EscapeMode): string {
  const clean = cleanTerminalText(text);
  switch (mode) {
    case 'discord':
      return neutraliseDiscordMentions(escapeDiscordMarkdown(clean));
    case 'slack':
      return neutraliseFences(escapeSlackEntities(clean));
    case 'plain':
      return clean;
  }
}

/**
 * A zero-width space between adjacent backticks: ``` in the output can no longer close the
 * block, and it still looks like ``` (snippet.ts drops these spaces if a user pastes it back).
 */
export function neutraliseFences(text: string): string {
  return text.replace(/`(?=`)/g, `\`${ZWSP}`);
}

/**
 * @everyone, @here, <@user>, <@!user>, <@&role> and <#channel> get a zero-width space after the
 * sigil so they don't even look like mentions. Defence in depth only: the client's
 * `allowedMentions: { parse: [] }` is what really stops pings.
 */
export function neutraliseDiscordMentions(text: string): string {
  return text.replace(/@(?=everyone|here)/gi, `@${ZWSP}`).replace(/<([@#])/g, `<$1${ZWSP}`);
}

/** Slack mrkdwn: escape exactly & < > (this neutralises <!channel>, <!here>, <@U123>, <url|x>). */
export function escapeSlackEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Characters Discord markdown gives a meaning to (emphasis, code, spoilers, quotes, headings,
// lists, masked links). A backslash before any ASCII punctuation renders that character.
export function escapeDiscordMarkdown(text: string): string {
  return text.replace(/[\\`*_~|>#\-[]/g, '\\$&');
}
