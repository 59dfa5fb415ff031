import { addAbortSignal, type Readable } from 'node:stream';
import { withDeadline } from '../../sandbox/deadline.js';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { answer } from './answer.js';

// Piped input that never ends (a service whose stdin is an open pipe) must fail, not hang.
const INPUT_DEADLINE_MS = 10_000;
// Far more than any code limit; reading on would only fill the memory.
const MAX_INPUT_BYTES = 1024 * 1024;

const NO_MESSAGE =
  'no chat platform is configured (set DISCORD_TOKEN or SLACK_BOT_TOKEN, see .env.example), ' +
  'and standard input held no message for the terminal chat';

/**
 * The terminal chat with piped input (`printf … | npm start`): the whole input is one message,
 * read like a DM, and its reply goes to stdout. Empty input is an error, not a quiet exit 0: it
 * is what a service whose chat token was forgotten would see.
 */
export async function startPiped({ evaluator }: AdapterContext): Promise<RunningAdapter> {
  const message = await readInput(process.stdin);
  if (message.trim() === '') throw new Error(NO_MESSAGE);
  const finished = answer(message, evaluator).then((text) => {
    if (text !== undefined) process.stdout.write(`${text}\n`);
  });
  return {
    name: 'console',
    finished,
    // The terminal is the platform: there is no connection to lose.
    connection: () => ({ up: true }),
    stop: (graceMs) => withDeadline(finished, graceMs, 'the reply did not come in time').catch(() => {}),
  };
}

async function readInput(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  addAbortSignal(AbortSignal.timeout(INPUT_DEADLINE_MS), input);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > MAX_INPUT_BYTES) throw new InputError(`standard input is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB: too long for one message`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const seconds = INPUT_DEADLINE_MS / 1000;
    if (error instanceof Error && error.name === 'AbortError') {
      throw new InputError(bytes === 0 ? `${NO_MESSAGE} within ${seconds} s` : `standard input did not end within ${seconds} s`);
    }
    throw new InputError(`could not read standard input: ${error instanceof Error ? error.message : String(error)}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class InputError extends Error {
  override name = 'InputError';
}
