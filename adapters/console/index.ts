import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { startChat } from './chat.js';
import { startPiped } from './piped.js';

/**
 * The terminal chat: what `npm start` opens when no chat platform is configured. Each message is
 * read as a DM to the bot would be, and answered with the reply a chat user would get. On a
 * terminal, a chat with a prompt; with piped input, the whole input is one message and the reply
 * goes to stdout.
 */
export async function start(context: AdapterContext): Promise<RunningAdapter> {
  return process.stdin.isTTY ? startChat(context) : startPiped(context);
}
