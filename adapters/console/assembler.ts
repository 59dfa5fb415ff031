/**
 * Turns typed lines into chat messages for the interactive console: Enter sends the message,
 * except inside a ``` block, where lines accumulate until the block is closed (so a pasted block
 * arrives whole, blank lines and all). Pure: feed it lines, it returns finished messages.
 */
export class MessageAssembler {
  private lines: string[] = [];
  private inBlock = false;

  /** Adds one line; returns the finished message, or null while more is needed. */
  push(line: string): string | null {
    this.lines.push(line);
    const fences = line.match(/```/g)?.length ?? 0;
    if (fences % 2 === 1) this.inBlock = !this.inBlock;
    if (this.inBlock) return null;
    const message = this.lines.join('\n');
    this.lines = [];
    return message.trim() ? message : null;
  }

  /** True while a ``` block is open (the prompt changes to show it). */
  get pending(): boolean {
    return this.inBlock;
  }

  /** What was typed but never sent (input ended inside a block): sent as it is. */
  flush(): string | null {
    const message = this.lines.join('\n');
    this.lines = [];
    this.inBlock = false;
    return message.trim() ? message : null;
  }
}
