/**
 * The up signal: program.py writes `\0sandpiper:up\n` on stdout once its interpreter is running
 * (and a pooled member's modules are imported), just before it waits for its code. A run's time
 * limit counts from then, not from when the request was written: under load, a cold start's
 * interpreter start-up alone can take seconds, and that is the host's time, not the program's.
 *
 * Nothing can write on stdout before it (the bootstrap writes there only at the end, and no code
 * has arrived yet), so it is recognised only as the stream's first bytes; the same bytes later are
 * the program's output like any other.
 */
export const UP_SIGNAL = Buffer.from('\0sandpiper:up\n');

/** Reads the up signal off the start of stdout, however it is chunked. */
export class UpScanner {
  private held: Buffer | null = Buffer.alloc(0);

  /** Null until it is clear; then true if stdout started with the signal, false if not. */
  up: boolean | null = null;

  /** Feeds stdout's next chunk; returns the bytes that are program output. */
  feed(chunk: Buffer): Buffer {
    if (this.held === null) return chunk;
    const data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    if (data.length < UP_SIGNAL.length && data.equals(UP_SIGNAL.subarray(0, data.length))) {
      this.held = data;
      return Buffer.alloc(0);
    }
    this.held = null;
    this.up = data.subarray(0, UP_SIGNAL.length).equals(UP_SIGNAL);
    return this.up ? data.subarray(UP_SIGNAL.length) : data;
  }

  /** At the end of the stream: whatever was held back was output after all, and it never came up. */
  flush(): Buffer {
    const rest = this.held ?? Buffer.alloc(0);
    if (this.held !== null) {
      this.held = null;
      this.up = false;
    }
    return rest;
  }
}
