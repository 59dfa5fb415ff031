import type { Key } from 'node:readline';
import type { ReadStream, WriteStream } from 'node:tty';
import { withDeadline } from '../../sandbox/deadline.js';
import type { AdapterContext, RunningAdapter } from '../../src/adapter.js';
import type { Evaluator, Indicator } from '../../src/evaluator.js';
import type { Logger, TerminalLogs } from '../../src/log.js';
import { answer } from './answer.js';
import { MessageAssembler } from './assembler.js';
import { Keyboard } from './keyboard.js';
import { Screen } from './screen.js';

const BANNER =
  'Sandpiper: send Python in a ```py block, in `backticks`, or after /run; /timeit times it instead.\n' +
  'Enter sends; after a block or a lone /run or /timeit, an empty line does. Ctrl-D quits.\n';
const PROMPT = 'you › ';
const CONTINUED = '... ';
const QUIT_HINT = 'To quit, press Ctrl-C again or Ctrl-D.';

/** The run being answered: how to cancel it, and when its reply has been printed. */
interface Run {
  cancel: AbortController;
  replied: Promise<void>;
}

/** The terminal chat on a terminal: the caller has checked that stdin is one (so a tty.ReadStream). */
export function startChat({ evaluator, log, terminalLogs }: AdapterContext): RunningAdapter {
  const chat = new TerminalChat(evaluator, log, terminalLogs, process.stdin as ReadStream, process.stdout as WriteStream);
  chat.open();
  return { name: 'console', finished: chat.finished, connection: () => ({ up: true }), stop: (graceMs) => chat.stop(graceMs) };
}

/**
 * A prompt; messages assembled from typed and pasted lines (MessageAssembler); one run at a
 * time, which Ctrl-C cancels. While a run is under way only Ctrl-C and Ctrl-D count: the prompt
 * comes back with the reply.
 */
class TerminalChat {
  readonly finished: Promise<void>;
  private markFinished!: () => void;
  private readonly assembler = new MessageAssembler();
  private readonly screen: Screen;
  private readonly keyboard: Keyboard;
  private run: Run | undefined;
  /** Between paste-start and paste-end: line breaks belong to the paste, they don't send. */
  private pasting = false;
  /** Ctrl-C was pressed at the prompt: another one at an empty prompt quits. */
  private quitArmed = false;
  private quitAfterReply = false;
  /** False once quitting or stopping: keys do nothing any more. */
  private accepting = true;
  private closed = false;

  // Shown once the run is admitted, so a refusal ("Slow down…") is never preceded by it. It stays
  // in the transcript, with the reply below it.
  private readonly indicator: Indicator = {
    show: async () => this.screen.print('⏳ running… (Ctrl-C cancels)'),
    hide: async () => {},
  };

  constructor(
    private readonly evaluator: Evaluator,
    private readonly log: Logger,
    private readonly logs: TerminalLogs | undefined,
    input: ReadStream,
    private readonly output: WriteStream,
  ) {
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
    this.screen = new Screen(output, (line) => this.entered(line));
    this.keyboard = new Keyboard(input, output, { key: (text, key) => this.pressed(text, key), gone: () => this.inputEnded() });
  }

  open(): void {
    this.output.write(BANNER);
    this.logs?.redirect((text) => this.screen.print(text));
    this.keyboard.start();
    this.screen.prompt(PROMPT);
  }

  /** Stops reading, gives the reply under way at most `graceMs`, and gives the terminal back. */
  async stop(graceMs: number): Promise<void> {
    this.accepting = false;
    this.keyboard.close();
    if (this.run) await withDeadline(this.run.replied, graceMs, 'the reply did not come in time').catch(() => {});
    this.close();
  }

  private pressed(text: string | undefined, key: Key): void {
    if (!this.accepting) return;
    if (key.name === 'paste-start' || key.name === 'paste-end') {
      this.pasting = key.name === 'paste-start';
      return;
    }
    if (this.run) return this.pressedWhileRunning(key);
    if (key.ctrl && key.name === 'c') return this.interrupt();
    this.quitArmed = false;
    if (key.ctrl && key.name === 'd' && this.screen.typed === '') return this.close();
    // Suspending would hand the shell a terminal left in raw mode.
    if (key.ctrl && key.name === 'z') return;
    this.screen.type(text, key);
  }

  private pressedWhileRunning(key: Key): void {
    if (key.ctrl && key.name === 'c') this.run?.cancel.abort();
    else if (key.ctrl && key.name === 'd' && !this.quitAfterReply) {
      this.quitAfterReply = true;
      this.screen.print('(Quitting once this run is answered.)');
    }
  }

  /** Ctrl-C at the prompt: drops what is being typed; at an empty prompt, twice quits. */
  private interrupt(): void {
    const typing = this.screen.typed !== '' || this.assembler.pending;
    if (!typing && this.quitArmed) return this.close();
    this.quitArmed = true;
    this.pasting = false;
    if (typing) {
      this.screen.clearTyped();
      this.assembler.clear();
      this.screen.prompt(PROMPT);
    }
    this.screen.print(typing ? `(Message dropped. ${QUIT_HINT})` : `(${QUIT_HINT})`);
  }

  private entered(line: string): void {
    const message = this.assembler.push(line, this.pasting ? 'pasted' : 'typed');
    if (message === null) this.screen.prompt(this.assembler.pending ? CONTINUED : PROMPT);
    else void this.send(message);
  }

  private async send(message: string): Promise<void> {
    const cancel = new AbortController();
    const replied = answer(message, this.evaluator, { indicator: this.indicator, signal: cancel.signal }).then(
      (text) => {
        if (text !== undefined) this.screen.print(text);
      },
      (error: unknown) => this.log.error({ err: error }, 'could not answer a terminal message'),
    );
    this.run = { cancel, replied };
    await replied;
    this.run = undefined;
    if (!this.accepting) return; // stopping: stop() gives the terminal back
    if (this.quitAfterReply) return this.close();
    this.quitArmed = false;
    this.screen.prompt(PROMPT);
  }

  /** The terminal went away: quit, after the reply under way if any. */
  private inputEnded(): void {
    if (this.run) this.quitAfterReply = true;
    else this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.accepting = false;
    this.keyboard.close();
    this.screen.close();
    this.logs?.redirect(undefined);
    this.markFinished();
  }
}
