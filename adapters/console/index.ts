import { userInfo } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import { interpret } from '../../src/intake.js';
import { CONSOLE } from '../../src/platforms.js';
import { renderNotice } from '../../src/render.js';
import { newRequestId } from '../../src/request.js';
import { MessageAssembler } from './assembler.js';

/**
 * The terminal chat: what `npm start` opens when no chat platform is configured. Interactive on a
 * terminal (type or paste messages); with piped input, the whole input is one message and the
 * reply goes to stdout. Either way the reply is exactly what a chat user would get.
 */

export interface ConsoleIO {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

const BANNER = `Sandpiper console: send Python as a chat message would (a \`\`\`py block, or just code).
Enter sends; inside a \`\`\` block, lines collect until it is closed. Ctrl-D quits.
`;

export async function start(context: AdapterContext, io: ConsoleIO = defaultIO()): Promise<RunningAdapter> {
  const user = userInfo().username;
  // On a terminal, readline edits lines, keeps history and redraws the prompt.
  const interactive = io.input.isTTY === true;
  const write = (text: string) => io.output.write(text.endsWith('\n') ? text : `${text}\n`);

  /** One message in, exactly one reply out (or nothing, for a message with nothing to do). */
  async function answer(message: string): Promise<void> {
    const intake = interpret(message, { explicit: true, raw: true });
    if (intake.kind === 'ignore') return;
    if (intake.kind === 'notice') return void write(renderNotice(intake.message, CONSOLE).text);
    if (interactive) write('⏳ running…');
    const reply = await context.evaluator.evaluate(
      {
        id: newRequestId(),
        platform: 'console',
        user,
        channel: 'terminal',
        trigger: 'console',
        code: intake.code,
        ...(intake.stdin === undefined ? {} : { stdin: intake.stdin }),
      },
      CONSOLE,
    );
    write(reply.text);
  }

  const lines = createInterface({ input: io.input, output: io.output, terminal: interactive });
  const finished = interactive ? chat(lines, io, answer) : answerAll(lines, answer);
  return {
    name: 'console',
    finished,
    async stop() {
      lines.close();
      await finished;
    },
  };
}

/** Piped input: everything up to end of input is one message. */
async function answerAll(lines: AsyncIterable<string>, answer: (m: string) => Promise<void>): Promise<void> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  await answer(all.join('\n'));
}

/** A terminal: a prompt, messages assembled from lines, one reply at a time. */
async function chat(lines: Interface, io: ConsoleIO, answer: (m: string) => Promise<void>): Promise<void> {
  const assembler = new MessageAssembler();
  const prompt = () => {
    lines.setPrompt(assembler.pending ? '... ' : 'you › ');
    lines.prompt();
  };
  io.output.write(BANNER);
  prompt();
  for await (const line of lines) {
    const message = assembler.push(line);
    if (message) await answer(message);
    prompt();
  }
  const rest = assembler.flush();
  if (rest) await answer(rest);
  io.output.write('\n');
}

function defaultIO(): ConsoleIO {
  return { input: process.stdin, output: process.stdout };
}
