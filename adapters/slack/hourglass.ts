import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/log.js';
import { describeSlackError } from './errors.js';

const HOURGLASS = 'hourglass_flowing_sand';

/**
 * Runs `work` with :hourglass_flowing_sand: on the source message, so people see the run queued
 * or running. The reaction is cosmetic: when Slack refuses it (not in the channel, already there
 * from a concurrent run), the run goes on.
 */
export async function withHourglass<T>(
  client: webApi.WebClient,
  log: Logger,
  message: { channel: string; ts: string },
  work: () => Promise<T>,
): Promise<T> {
  const target = { channel: message.channel, timestamp: message.ts, name: HOURGLASS };
  const quietly = (call: Promise<unknown>, what: string) =>
    call.catch((error: unknown) => log.debug({ ...message, reason: describeSlackError(error) }, `could not ${what} the hourglass`));
  // Not awaited before the run: the reaction must not delay the code.
  const added = quietly(client.reactions.add(target), 'add');
  try {
    return await work();
  } finally {
    await added;
    await quietly(client.reactions.remove(target), 'remove');
  }
}
