import type { ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { interpret } from '../../../src/intake.js';
import type { Bot } from '../bot.js';
import { CODE_OPTION } from '../commands.js';
import { CODE_FIELD, codeModal } from '../components.js';
import { answerInteraction } from '../interaction.js';

/** `/run code:…` runs the code; `/run` alone opens an editor for several lines. */
export async function onRunCommand(bot: Bot, interaction: ChatInputCommandInteraction): Promise<void> {
  const code = interaction.options.getString(CODE_OPTION);
  if (code === null) await interaction.showModal(codeModal());
  else await runCode(bot, interaction, code);
}

/** The editor's code, submitted. */
export async function onCodeModal(bot: Bot, interaction: ModalSubmitInteraction): Promise<void> {
  await runCode(bot, interaction, interaction.fields.getTextInputValue(CODE_FIELD));
}

async function runCode(bot: Bot, interaction: ChatInputCommandInteraction | ModalSubmitInteraction, code: string): Promise<void> {
  const intake = interpret(code, { explicit: true, raw: true });
  // No message holds this code: keep it for "Run again".
  if (intake.kind === 'run') bot.codes.set(interaction.id, intake);
  const target = { source: { kind: 'code' as const, id: interaction.id }, owner: interaction.user.id };
  await answerInteraction(bot, interaction, intake, target, 'slash');
}
