/**
 * What each chat platform allows in one reply, as data. The renderer reads
 * these numbers; it never branches on a platform's name.
 */
export type PlatformName = 'discord' | 'slack' | 'console';

/**
 * How text is made safe: `discord` neutralises mentions and fence breakers, `slack` escapes
 * `& < >` (mrkdwn) and fence breakers, `plain` only strips terminal controls (the console).
 */
export type EscapeMode = 'discord' | 'slack' | 'plain';

export interface PlatformProfile {
  readonly name: PlatformName;
  /**
   * Longest reply text, counted in UTF-16 code units (String.length). That is never fewer than
   * the code points the platforms count, so text that fits here fits there.
   */
  readonly maxChars: number;
  /** Lines of program output shown inline before the preview is cut (plus one marker line). */
  readonly maxLines: number;
  readonly escape: EscapeMode;
  /** Wrap the output in a ``` block (chat) or print it as is (a terminal). */
  readonly codeFences: boolean;
  /** Files one reply can carry (output.txt included). */
  readonly maxAttachments: number;
  /** The largest file the platform takes from a bot, in bytes. */
  readonly maxAttachmentBytes: number;
}

const MIB = 1024 * 1024;

export const DISCORD: PlatformProfile = {
  name: 'discord',
  maxChars: 2000, // the whole message content
  maxLines: 30,
  escape: 'discord',
  codeFences: true,
  maxAttachments: 10,
  maxAttachmentBytes: 10 * MIB, // a server without boosts
};

export const SLACK: PlatformProfile = {
  name: 'slack',
  maxChars: 3000, // one section block's text; longer output goes as a file
  maxLines: 40,
  escape: 'slack',
  codeFences: true,
  maxAttachments: 10, // one files.uploadV2 call
  maxAttachmentBytes: 1024 * MIB,
};

// The terminal chat cuts like a chat, so its replies have the shape a chat user gets; the full
// output is still attached as output.txt.
export const CONSOLE: PlatformProfile = {
  name: 'console',
  maxChars: 4000, // ~30 wide terminal lines; only a very long line is cut by characters first
  maxLines: 30,
  escape: 'plain',
  codeFences: false,
  // Saved to a folder on this machine (adapters/console/attachments.ts): the sandbox's limits rule.
  maxAttachments: Number.POSITIVE_INFINITY,
  maxAttachmentBytes: Number.POSITIVE_INFINITY,
};

export const PLATFORM_PROFILES: Readonly<Record<PlatformName, PlatformProfile>> = {
  discord: DISCORD,
  slack: SLACK,
  console: CONSOLE,
};
