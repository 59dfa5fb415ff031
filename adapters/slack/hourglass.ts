import type { webApi } from '@slack/bolt';
import type { Indicator } from '../../src/evaluator.js';

const HOURGLASS = 'hourglass_flowing_sand';

/**
 * :hourglass_flowing_sand: on the source message while its run waits and runs. Cosmetic: when
 * Slack refuses it (not in the channel, already there from a concurrent run), the run goes on.
 */
export function hourglass(client: webApi.WebClient, message: { channel: string; ts: string }): Indicator {
  const target = { channel: message.channel, timestamp: message.ts, name: HOURGLASS };
  return {
    show: async () => void (await client.reactions.add(target)),
    hide: async () => void (await client.reactions.remove(target)),
  };
}
