import {
  InteractionContextType,
  LabelBuilder,
  ModalBuilder,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Answers } from '../../src/answers.js';
import type { ExpiringMap } from '../../src/expiring-map.js';
import type { Logger } from '../../src/log.js';
import { resultButtons } from './buttons.js';
import { interactionAsk, type PostedReply } from './post.js';
import { readCode } from './read.js';

const RUN_COMMAND = 'run';
const CODE_OPTION = 'code';
const CODE_MODAL = 'sandpiper:code';
const CODE_FIELD = 'code';

/** `/run code:…` runs one line; `/run` alone opens an editor for several (see `sandpiper discord register`). */
export const RUN_COMMAND_DEFINITION = new SlashCommandBuilder()
  .setName(RUN_COMMAND)
  .setDescription('Run Python in a sandbox and show the output')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
  .addStringOption((option) =>
    option
      .setName(CODE_OPTION)
      .setDescription('One line of Python; leave it out to get an editor for several lines')
      .setMaxLength(6000), // Discord's cap for a string option
  )
  .toJSON();

/** The editor `/run` opens when no code was given: slash options hold one line only. */
function codeModal(): ModalBuilder {
  const editor = new TextInputBuilder()
    .setCustomId(CODE_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder('print("hello")')
    .setMaxLength(4000) // Discord's cap for a text input
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(CODE_MODAL)
    .setTitle('Run Python')
    .addLabelComponents(new LabelBuilder().setLabel('Code').setTextInputComponent(editor));
}

export interface RunCommandDeps {
  answers: Answers<PostedReply>;
  /** Where /run code is kept for "Run again": no message holds it. */
  codes: ExpiringMap<string, string>;
  log: Logger;
}

/** The handler for /run and its editor (undefined for any other interaction). */
export function runCommandHandler(deps: RunCommandDeps) {
  return (interaction: Interaction): (() => Promise<void>) | undefined => {
    if (interaction.isChatInputCommand() && interaction.commandName === RUN_COMMAND) return () => onCommand(deps, interaction);
    if (interaction.isModalSubmit() && interaction.customId === CODE_MODAL) {
      return async () => run(deps, interaction, interaction.fields.getTextInputValue(CODE_FIELD));
    }
    return undefined;
  };
}

async function onCommand(deps: RunCommandDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const code = interaction.options.getString(CODE_OPTION);
  if (code === null) await interaction.showModal(codeModal());
  else run(deps, interaction, code);
}

function run({ answers, codes, log }: RunCommandDeps, interaction: ChatInputCommandInteraction | ModalSubmitInteraction, code: string): void {
  codes.set(interaction.id, code);
  const buttons = resultButtons({ source: { kind: 'code', id: interaction.id }, owner: interaction.user.id });
  answers.answer(interactionAsk(interaction, { trigger: 'slash', text: code, read: readCode, buttons }, log));
}
