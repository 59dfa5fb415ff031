import type { RespondArguments, types } from '@slack/bolt';
import type { Reply } from '../../src/reply.js';

export interface ReplyMessage {
  /** The notification and accessibility fallback: the same text, already escaped by the core. */
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * A Reply as Slack message content: one section holding the core's text (within a section's 3000
 * characters, escaped so `<!channel>` and friends notify no one), and our own notes beneath it.
 */
export function replyMessage(reply: Reply, notes: readonly string[] = []): ReplyMessage {
  return {
    text: reply.text,
    blocks: [
      // verbatim: Slack must not turn plain @here, #channel or URLs in program output into links.
      { type: 'section', text: { type: 'mrkdwn', text: reply.text, verbatim: true } },
      ...notes.map((note): types.KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: note }] })),
    ],
  };
}

/** A reply only the asker sees (through the command's or shortcut's response_url), with why first. */
export function privateMessage(reply: Reply, why?: string): RespondArguments {
  const { text, blocks } = replyMessage(reply);
  const preface: types.KnownBlock[] = why ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: why }] }] : [];
  return { response_type: 'ephemeral', text, blocks: [...preface, ...blocks] };
}

/** Why a command's result came privately: the bot could not post it in the channel. */
export function cannotPostHere(error: string | undefined): string {
  return error === 'not_in_channel' || error === 'channel_not_found'
    ? "I'm not a member of this channel, so only you can see this result. To share results here, add me with `/invite @Sandpiper`, or DM me."
    : `I couldn't post in this channel (${error ?? 'an unexpected error'}), so only you can see this result.`;
}
