import {
  InteractionContextType,
  LabelBuilder,
  ModalBuilder,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Attachment,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Answers } from '../../src/answers.js';
import { ExpiringMap } from '../../src/expiring-map.js';
import type { IncomingFile } from '../../src/incoming-files.js';
import { inPython, readCode, type CodeMode } from '../../src/intake.js';
import type { Logger } from '../../src/log.js';
import { incomingFile } from './attachments.js';
import { resultButtons, type KeptCode } from './buttons.js';
import { answerPrivately, interactionAsk, type PostedReply } from './post.js';

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
const FILE_OPTION = 'file';
const VERSION_OPTION = 'version';
const CODE_FIELD = 'code';

/** How long a file given with a command that opened the editor waits for the code: ample to write it. */
const EDITOR_FILES_TTL_MS = 60 * 60_000;
const EDITORS_WITH_FILES = 1000; // each a name, a size and a link

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
 * `sandpiper discord register`). `file:` puts a file in the run's working directory (slash
 * commands have no message to attach it to). `versions`: the Python versions offered, the default first.
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
    )
    .addAttachmentOption((option) =>
      option.setName(FILE_OPTION).setDescription('A file the code can open, e.g. data.csv; it is put in the working directory'),
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
function codeModal(command: CodeCommand, python: string | undefined, filesFrom: string | undefined): ModalBuilder {
  const editor = new TextInputBuilder()
    .setCustomId(CODE_FIELD)
    .setStyle(TextInputStyle.Paragraph)
    .setPlaceholder(command.placeholder)
    .setMaxLength(4000) // Discord's cap for a text input
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(modalId(command, python, filesFrom))
    .setTitle(command.modalTitle)
    .addLabelComponents(new LabelBuilder().setLabel('Code').setTextInputComponent(editor));
}

/** What an editor's submission stands for: what the editor sends back has no options. */
interface Editor {
  command: CodeCommand;
  /** The version chosen with the command. */
  python?: string;
  /** The id of the command whose file waits for this code (in `editorFiles`). */
  filesFrom?: string;
}

// custom_id (at most 100 characters): <modalId>[:<version>[:<command id>]], the version empty when
// only a file was given with the command.
function modalId(command: CodeCommand, python: string | undefined, filesFrom: string | undefined): string {
  const rest = filesFrom === undefined ? (python === undefined ? [] : [python]) : [python ?? '', filesFrom];
  return [command.modalId, ...rest].join(':');
}

/** The editor that sent `id`; undefined when it is none of ours. */
function parseModalId(id: string): Editor | undefined {
  const command = CODE_COMMANDS.find((candidate) => id === candidate.modalId || id.startsWith(`${candidate.modalId}:`));
  if (!command) return undefined;
  const [python, filesFrom, ...more] = id === command.modalId ? [] : id.slice(command.modalId.length + 1).split(':');
  if (more.length) return undefined;
  return { command, ...(python ? { python } : {}), ...(filesFrom ? { filesFrom } : {}) };
}

export interface CodeCommandDeps {
  answers: Answers<PostedReply>;
  /** Where command code is kept for "Run again": no message holds it. */
  codes: ExpiringMap<string, KeptCode>;
  /** The Python versions offered, the default first: "Run in" buttons offer the others. */
  versions: readonly string[];
  log: Logger;
}

/** Files given with a command that opened the editor, by that command's id: its submission has no options. */
type EditorFiles = ExpiringMap<string, readonly IncomingFile[]>;

/** The handler for /run, /timeit and their editors (undefined for any other interaction). */
export function codeCommandHandler(deps: CodeCommandDeps) {
  const editorFiles: EditorFiles = new ExpiringMap(EDITOR_FILES_TTL_MS, EDITORS_WITH_FILES);
  return (interaction: Interaction): (() => Promise<void>) | undefined => {
    if (interaction.isChatInputCommand()) {
      const command = CODE_COMMANDS.find((candidate) => candidate.name === interaction.commandName);
      return command && (() => onCommand(deps, editorFiles, interaction, command));
    }
    if (interaction.isModalSubmit()) {
      const editor = parseModalId(interaction.customId);
      return editor && (() => onEditor(deps, editorFiles, interaction, editor));
    }
    return undefined;
  };
}

async function onCommand(deps: CodeCommandDeps, editorFiles: EditorFiles, interaction: ChatInputCommandInteraction, command: CodeCommand): Promise<void> {
  const text = interaction.options.getString(CODE_OPTION);
  const python = interaction.options.getString(VERSION_OPTION) ?? undefined;
  const files = optionFiles(interaction.options.getAttachment(FILE_OPTION));
  if (text !== null) return run(deps, interaction, keptCode(text, command.mode, python, files));
  const filesFrom = files.length ? interaction.id : undefined;
  if (filesFrom !== undefined) editorFiles.set(filesFrom, files);
  await interaction.showModal(codeModal(command, python, filesFrom));
}

async function onEditor(deps: CodeCommandDeps, editorFiles: EditorFiles, interaction: ModalSubmitInteraction, { command, python, filesFrom }: Editor): Promise<void> {
  const files = filesFrom === undefined ? [] : editorFiles.get(filesFrom);
  // Running without the file would only end in a FileNotFoundError that hides why.
  if (files === undefined) return answerPrivately(interaction, fileForgotten(command));
  run(deps, interaction, keptCode(interaction.fields.getTextInputValue(CODE_FIELD), command.mode, python, files));
}

function fileForgotten(command: CodeCommand): string {
  return `Not run: the file given with /${command.name} is no longer kept (the editor stayed open too long, or the bot restarted). Use /${command.name} again with the file.`;
}

function optionFiles(attachment: Attachment | null): IncomingFile[] {
  return attachment === null ? [] : [incomingFile(attachment)];
}

function keptCode(text: string, mode: CodeMode, python: string | undefined, files: readonly IncomingFile[]): KeptCode {
  return { text, mode, ...(python === undefined ? {} : { python }), ...(files.length ? { files } : {}) };
}

/** Runs a command's code (read like /run's text; the version option wins over one it names) with its file, and keeps both for "Run again". */
function run({ answers, codes, versions, log }: CodeCommandDeps, interaction: ChatInputCommandInteraction | ModalSubmitInteraction, code: KeptCode): void {
  codes.set(interaction.id, code);
  const buttons = resultButtons({ source: { kind: 'code', id: interaction.id }, owner: interaction.user.id }, versions);
  const read = (text: string) => inPython(readCode(text, code.mode), code.python);
  answers.answer(interactionAsk(interaction, { trigger: 'slash', text: code.text, read, files: code.files, buttons }, log));
}
