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
import { readCode, type CodeMode } from '../../src/intake.js';
import type { Logger } from '../../src/log.js';
import { resultButtons, type KeptCode } from './buttons.js';
import { interactionAsk, type PostedReply } from './post.js';

/** A slash command given code: `/run` runs it, `/timeit` times it. Each opens its own editor when given none. */
interface CodeCommand {
  mode: CodeMode;
  name: string;
  description: string;
  optionDescription: string;
  modalId: string;
  modalTitle: string;
  placeholder: string;
}

const CODE_OPTION = 'code';
const CODE_FIELD = 'code';

const RUN: CodeCommand = {
  mode: 'run',
  name: 'run',
  description: 'Run Python in a sandbox and show the output',
  optionDescription: 'One line of Python; leave it out to get an editor for several lines',
  modalId: 'sandpiper:code',
  modalTitle: 'Run Python',
  placeholder: 'print("hello")',
};

const TIMEIT: CodeCommand = {
  mode: 'timeit',
  name: 'timeit',
  description: 'Time Python with timeit and show how long it takes',
  optionDescription: 'One line of Python to time; leave it out to get an editor for several lines',
  modalId: 'sandpiper:timeit',
  modalTitle: 'Time Python',
  // The setup rule, shown rather than told: of several blocks, the first runs once, untimed.
  placeholder: '```py\nnumbers = list(range(1000))\n```\n```py\nsum(numbers)\n```',
};

const CODE_COMMANDS: readonly CodeCommand[] = [RUN, TIMEIT];

/** `/run code:…` runs one line; `/run` alone opens an editor for several (see `sandpiper discord register`). */
export const RUN_COMMAND_DEFINITION = definition(RUN);
/** `/timeit code:…` times one line; `/timeit` alone opens an editor, where a first block is the setup. */
export const TIMEIT_COMMAND_DEFINITION = definition(TIMEIT);

function definition(command: CodeCommand) {
  return new SlashCommandBuilder()
    .setName(command.name)
    .setDescription(command.description)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option
        .setName(CODE_OPTION)
        .setDescription(command.optionDescription)
        .setMaxLength(6000), // Discord's cap for a string option
    )
    .toJSON();
}

/** The editor a command opens when no code was given: slash options hold one line only. */
function codeModal(command: CodeCommand): ModalBuilder {
  const editor = new TextInputBuilder()
    .setCustomId(CODE_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder(command.placeholder)
    .setMaxLength(4000) // Discord's cap for a text input
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(command.modalId)
    .setTitle(command.modalTitle)
    .addLabelComponents(new LabelBuilder().setLabel('Code').setTextInputComponent(editor));
}

export interface CodeCommandDeps {
  answers: Answers<PostedReply>;
  /** Where command code is kept for "Run again": no message holds it. */
  codes: ExpiringMap<string, KeptCode>;
  log: Logger;
}

/** The handler for /run, /timeit and their editors (undefined for any other interaction). */
export function codeCommandHandler(deps: CodeCommandDeps) {
  return (interaction: Interaction): (() => Promise<void>) | undefined => {
    if (interaction.isChatInputCommand()) {
      const command = CODE_COMMANDS.find((candidate) => candidate.name === interaction.commandName);
      return command && (() => onCommand(deps, interaction, command));
    }
    if (interaction.isModalSubmit()) {
      const command = CODE_COMMANDS.find((candidate) => candidate.modalId === interaction.customId);
      return command && (async () => run(deps, interaction, command.mode, interaction.fields.getTextInputValue(CODE_FIELD)));
    }
    return undefined;
  };
}

async function onCommand(deps: CodeCommandDeps, interaction: ChatInputCommandInteraction, command: CodeCommand): Promise<void> {
  const code = interaction.options.getString(CODE_OPTION);
  if (code === null) await interaction.showModal(codeModal(command));
  else run(deps, interaction, command.mode, code);
}

function run(
  { answers, codes, log }: CodeCommandDeps,
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  mode: CodeMode,
  code: string,
): void {
  codes.set(interaction.id, { text: code, mode });
  const buttons = resultButtons({ source: { kind: 'code', id: interaction.id }, owner: interaction.user.id });
  const read = (text: string) => readCode(text, mode);
  answers.answer(interactionAsk(interaction, { trigger: 'slash', text: code, read, buttons }, log));
}
