import { Events, type Message, type PartialMessage } from 'discord.js';
import { answerMessage } from '../answer.js';
import type { Bot } from '../bot.js';
import { Debouncer } from '../../../src/debouncer.js';
import { readAsked } from '../read.js';

/**
 * Within the edit window, editing an answered message re-runs it and edits the reply in place
 * (a burst of edits runs once), and deleting it deletes the reply.
 */
export function listenForEdits(bot: Bot): void {
  const debouncer = new Debouncer(bot.tuning.editDebounceMs);

  bot.client.on(Events.MessageUpdate, (before, after) => {
    if (after.author?.bot || !bot.tracker.isAnswered(after.id)) return;
    if (!before.partial && before.content === after.content) return; // an embed appeared, nobody edited
    debouncer.schedule(after.id, () =>
      bot.jobs.start('edit', async () => {
        const message = after.partial ? await after.fetch() : after;
        await answerMessage(bot, message, message.author, 'edit', readAsked(message, bot, true));
      }),
    );
  });

  const onDelete = (message: Message | PartialMessage) => {
    debouncer.cancel(message.id);
    const reply = bot.tracker.withdraw(message.id);
    if (reply) bot.jobs.start('delete', () => reply.delete());
  };
  bot.client.on(Events.MessageDelete, onDelete);
  bot.client.on(Events.MessageBulkDelete, (messages) => messages.forEach(onDelete));
}
