import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  type Interaction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { Answers } from '../../src/answers.js';
import type { Logger } from '../../src/log.js';
import { resultButtons } from './buttons.js';
import { interactionAsk, type PostedReply } from './post.js';
import { readMessage, type Prefixes } from './read.js';
import { attachedFiles } from './attachments.js';

const RUN_MENU = 'Run Python';

/** "Apps → Run Python" on a message: runs the code it holds. */
export const RUN_MENU_DEFINITION = new ContextMenuCommandBuilder()
  .setName(RUN_MENU)
  .setType(ApplicationCommandType.Message)
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .toJSON();

export interface RunMenuDeps {
  answers: Answers<PostedReply>;
  prefixes: Prefixes;
  /** The Python versions offered, the default first: "Run in" buttons offer the others. */
  versions: readonly string[];
  log: Logger;
}

/** The handler for the menu (undefined for any other interaction). */
export function runMenuHandler(deps: RunMenuDeps) {
  return (interaction: Interaction): (() => Promise<void>) | undefined => {
    if (!interaction.isMessageContextMenuCommand() || interaction.commandName !== RUN_MENU) return undefined;
    return async () => runTarget(deps, interaction);
  };
}

/**
 * Chosen for this message on purpose: with no code in it, it gets a notice (read like a mention).
 * A message starting with the timeit prefix is timed, as it says.
 */
function runTarget({ answers, prefixes, versions, log }: RunMenuDeps, interaction: MessageContextMenuCommandInteraction): void {
  const message = interaction.targetMessage;
  const buttons = resultButtons({ source: { kind: 'message', id: message.id }, owner: interaction.user.id }, versions);
  const read = (text: string) => readMessage(text, prefixes, true);
  answers.answer(interactionAsk(interaction, { trigger: 'context_menu', text: message.content, read, messageId: message.id, files: attachedFiles(message), buttons }, log));
}
