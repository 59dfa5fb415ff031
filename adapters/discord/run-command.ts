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
import { inPython, readCode, type CodeMode } from '../../src/intake.js';
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
const VERSION_OPTION = 'version';
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

/**
 * `/run code:…` runs one line, `/timeit code:…` times it; alone, each opens an editor (see
 * `sandpiper discord register`). `versions`: the Python versions offered, the default first.
 */
export function codeCommandDefinitions(versions: readonly string[]) {
  return CODE_COMMANDS.map((command) => definition(command, versions));
}

function definition(command: CodeCommand, versions: readonly string[]) {
  const builder = new SlashCommandBuilder()
    .setName(command.name)
    .setDescription(command.description)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option
        .setName(CODE_OPTION)
        .setDescription(command.optionDescription)
        .setMaxLength(6000), // Discord's cap for a string option
    );
  // As choices, Discord offers only the versions there are: none can be mistyped.
  if (versions.length) {
    builder.addStringOption((option) =>
      option
        .setName(VERSION_OPTION)
        .setDescription(`The Python version to use; ${versions[0]} if left out`)
        .addChoices(versions.map((version, index) => ({ name: index === 0 ? `${version} (default)` : version, value: version }))),
    );
  }
  return builder.toJSON();
}

/** The editor a command opens when no code was given: slash options hold one line only. */
function codeModal(command: CodeCommand, python: string | undefined): ModalBuilder {
  const editor = new TextInputBuilder()
    .setCustomId(CODE_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder(command.placeholder)
    .setMaxLength(4000) // Discord's cap for a text input
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(modalId(command, python))
    .setTitle(command.modalTitle)
    .addLabelComponents(new LabelBuilder().setLabel('Code').setTextInputComponent(editor));
}

/** The editor's custom_id carries the version chosen with the command: what the editor sends back has no options. */
function modalId(command: CodeCommand, python: string | undefined): string {
  return python === undefined ? command.modalId : `${command.modalId}:${python}`;
}

/** The command whose editor sent `id`, and the version chosen with it; undefined when it is none of ours. */
function parseModalId(id: string): { command: CodeCommand; python?: string } | undefined {
  for (const command of CODE_COMMANDS) {
    if (id === command.modalId) return { command };
    if (id.startsWith(`${command.modalId}:`)) return { command, python: id.slice(command.modalId.length + 1) };
  }
  return undefined;
}

export interface CodeCommandDeps {
  answers: Answers<PostedReply>;
  /** Where command code is kept for "Run again": no message holds it. */
  codes: ExpiringMap<string, KeptCode>;
  /** The Python versions offered, the default first: "Run in" buttons offer the others. */
  versions: readonly string[];
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
      const editor = parseModalId(interaction.customId);
      return editor && (async () => run(deps, interaction, keptCode(interaction.fields.getTextInputValue(CODE_FIELD), editor.command.mode, editor.python)));
    }
    return undefined;
  };
}

async function onCommand(deps: CodeCommandDeps, interaction: ChatInputCommandInteraction, command: CodeCommand): Promise<void> {
  const text = interaction.options.getString(CODE_OPTION);
  const python = interaction.options.getString(VERSION_OPTION) ?? undefined;
  if (text === null) await interaction.showModal(codeModal(command, python));
  else run(deps, interaction, keptCode(text, command.mode, python));
}

function keptCode(text: string, mode: CodeMode, python: string | undefined): KeptCode {
  return { text, mode, ...(python === undefined ? {} : { python }) };
}

/** Runs a command's code (read like /run's text; the version option wins over one it names), and keeps it for "Run again". */
function run({ answers, codes, versions, log }: CodeCommandDeps, interaction: ChatInputCommandInteraction | ModalSubmitInteraction, code: KeptCode): void {
  codes.set(interaction.id, code);
  const buttons = resultButtons({ source: { kind: 'code', id: interaction.id }, owner: interaction.user.id }, versions);
  const read = (text: string) => inPython(readCode(text, code.mode), code.python);
  answers.answer(interactionAsk(interaction, { trigger: 'slash', text: code.text, read, buttons }, log));
}
