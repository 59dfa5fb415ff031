import { isBareCommand } from './message.js';

/** How a line reached the chat: typed and ended by Enter, or a line of a paste. */
export type LineOrigin = 'typed' | 'pasted';

// Three or more backticks open or close a block.
const FENCE = /`{3,}/g;

/**
 * Turns the terminal's lines into chat messages, as a chat's input box would:
 *   - inside an open ``` block, lines collect until it closes (blank lines included);
 *   - once a block has closed, the message stays open until Enter on an empty line, so that a
 *     ```stdin block can follow the code;
 *   - `/run` or `/timeit` alone collects the lines after it as code, until an empty line;
 *   - a paste is one message: its line breaks never send it, the Enter after it does;
 *   - otherwise Enter sends.
 * Pure: feed it lines, it returns finished messages.
 */
export class MessageAssembler {
  private lines: string[] = [];
  private inBlock = false;
  private untilEmptyLine = false;

  /** Adds one line; returns the finished message, or null while more is needed. */
  push(line: string, origin: LineOrigin = 'typed'): string | null {
    if (origin === 'typed' && !this.inBlock && line.trim() === '') return this.finish();
    this.lines.push(line);
    for (const _fence of line.matchAll(FENCE)) {
      this.inBlock = !this.inBlock;
      if (!this.inBlock) this.untilEmptyLine = true;
    }
    if (this.lines.length === 1 && isBareCommand(line)) this.untilEmptyLine = true;
    if (this.inBlock || this.untilEmptyLine || origin === 'pasted') return null;
    return this.finish();
  }

  /** True while a message is being written (the prompt shows it). */
  get pending(): boolean {
    return this.lines.length > 0;
  }

  /** Drops the message being written. */
  clear(): void {
    this.lines = [];
    this.inBlock = false;
    this.untilEmptyLine = false;
  }

  /** The message so far, unless it is only blank lines. */
  private finish(): string | null {
    const message = this.lines.join('\n');
    this.clear();
    return message.trim() === '' ? null : message;
  }
}
