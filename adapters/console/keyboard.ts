import { emitKeypressEvents, type Key } from 'node:readline';
import type { ReadStream, WriteStream } from 'node:tty';

// Asks the terminal to mark pasted text (as paste-start and paste-end keys), so that a paste's
// line breaks can be told from Enter; and stops asking.
const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

export interface KeyListener {
  key(text: string | undefined, key: Key): void;
  /** The terminal went away (input ended or failed). */
  gone(): void;
}

/**
 * The terminal's keys one by one (raw mode: Ctrl-C and Ctrl-D are keys, not signals), pastes
 * marked. close() gives the terminal back as it was, and so does the process exiting without it.
 */
export class Keyboard {
  private open = false;
  private readonly onKey: (text: string | undefined, key: Key) => void;
  private readonly onGone: () => void;

  constructor(
    private readonly input: ReadStream,
    private readonly output: WriteStream,
    listener: KeyListener,
  ) {
    this.onKey = (text, key) => listener.key(text, key);
    this.onGone = () => listener.gone();
  }

  start(): void {
    if (this.open) return;
    this.open = true;
    emitKeypressEvents(this.input);
    this.input.setRawMode(true);
    this.input.on('keypress', this.onKey).on('end', this.onGone).on('error', this.onGone);
    this.input.resume();
    this.output.write(BRACKETED_PASTE_ON);
    process.on('exit', this.restore);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    // The error listener stays: an error on stdin with no listener would crash the process.
    this.input.off('keypress', this.onKey).off('end', this.onGone);
    try {
      this.input.setRawMode(false);
    } catch {
      // The terminal is gone already: there is no mode left to restore.
    }
    this.input.pause();
    this.restore();
    process.off('exit', this.restore);
  }

  private readonly restore = (): void => {
    this.output.write(BRACKETED_PASTE_OFF);
  };
}
