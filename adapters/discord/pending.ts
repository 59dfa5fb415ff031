import type { Message } from 'discord.js';
import type { Logger } from '../../src/log.js';
import { errorFields } from './errors.js';

const PENDING = '⏳';

/**
 * Shows ⏳ on `message` while `work` is queued or running, then takes it away. A channel where
 * the bot can't react only costs the indicator (logged).
 */
export async function whilePending<T>(message: Message, log: Logger, work: () => Promise<T>): Promise<T> {
  const reacting = message.react(PENDING).catch((error: unknown) => {
    log.warn(errorFields(error), `could not add the ${PENDING} reaction`);
    return undefined;
  });
  try {
    return await work();
  } finally {
    const reaction = await reacting;
    await reaction?.users.remove().catch((error: unknown) => log.warn(errorFields(error), `could not remove the ${PENDING} reaction`));
  }
}
