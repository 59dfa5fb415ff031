import { PassThrough } from 'node:stream';
import { clearScreenDown, createInterface, cursorTo, moveCursor, type Interface, type Key } from 'node:readline';
import type { WriteStream } from 'node:tty';

/**
 * The terminal's screen: lines printed one after another, and below them, when the chat waits
 * for a message, the prompt line where the user types (readline's line editing and history).
 * Whatever is printed while the prompt shows (a log line, a notice) goes above it, and the prompt
 * is redrawn with what was typed so far.
 */
export class Screen {
  // readline reads no stream: it gets only the keys the chat passes on (see type()).
  private readonly keys = new PassThrough();
  private readonly editor: Interface;
  private promptShown = false;
  private closed = false;

  constructor(
    private readonly output: WriteStream,
    onLine: (line: string) => void,
  ) {
    this.editor = createInterface({ input: this.keys, output, terminal: true, historySize: 200 });
    this.editor.on('line', (line) => {
      // readline has moved below the line entered: no prompt shows until the chat asks again.
      // (An empty one, so that readline redrawing on a window resize meanwhile draws nothing.)
      this.promptShown = false;
      this.editor.setPrompt('');
      onLine(line);
    });
  }

  /** Shows the prompt line with `prompt`, keeping what was typed. */
  prompt(prompt: string): void {
    if (this.closed) return;
    this.editor.setPrompt(prompt);
    this.editor.prompt(true);
    this.promptShown = true;
  }

  /** A key for the prompt line: edits it, or enters it (the line listener gets it). */
  type(text: string | undefined, key: Key): void {
    if (!this.closed) this.keys.emit('keypress', text, key);
  }

  /** What is typed on the prompt line. */
  get typed(): string {
    return this.editor.line;
  }

  /** Empties the prompt line. */
  clearTyped(): void {
    this.editor.write(null, { ctrl: true, name: 'e' });
    this.editor.write(null, { ctrl: true, name: 'u' });
  }

  /** Prints `text` as whole lines, above the prompt when it shows. */
  print(text: string): void {
    const lines = text.endsWith('\n') ? text : `${text}\n`;
    if (!this.promptShown) {
      this.output.write(lines);
      return;
    }
    // The prompt line may wrap: erase it from its first row, print, and leave readline as many
    // rows below as it will move up to redraw it.
    const { rows } = this.editor.getCursorPos();
    moveCursor(this.output, 0, -rows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
    this.output.write(lines + '\n'.repeat(rows));
    this.editor.prompt(true);
  }

  /** Ends the prompt line, if it shows, so that what comes next (the shell) starts on its own line. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.promptShown) {
      this.editor.write(null, { ctrl: true, name: 'e' }); // below the whole typed line
      this.output.write('\n');
    }
    this.promptShown = false;
    this.editor.close();
  }
}
