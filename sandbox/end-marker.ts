import { randomBytes } from 'node:crypto';

/**
 * The end-of-run marker. After the program (and its atexit handlers) finished, the bootstrap writes
 * `\0sandpiper:<nonce>:<exit code, 3 digits>\n` to stdout and to stderr. Seeing it on both streams
 * means all the output has arrived and says how the program ended, ~25 ms before Docker reports
 * the container's exit (the teardown of runc, containerd and dockerd). A run that ends any other
 * way (killed, os._exit, OOM) writes no marker and is reported by Docker as before.
 *
 * The nonce is per run. A program could read it from memory and forge a marker: that only lets it
 * misreport its own run (as it could by printing and exiting), and the container is destroyed
 * right after the marker either way.
 */
export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

const CODE_DIGITS = 3;

export function markerPrefix(nonce: string): Buffer {
  return Buffer.from(`\0sandpiper:${nonce}:`);
}

/**
 * Finds the marker in one stream's bytes, however they are chunked. Bytes before it are passed on;
 * bytes that might be the start of a marker are held back until it is clear they are not.
 */
export class MarkerScanner {
  private held: Buffer = Buffer.alloc(0);
  private code: number | null = null;

  constructor(private readonly prefix: Buffer) {}

  /** The exit code from the marker, once it was seen. */
  get found(): number | null {
    return this.code;
  }

  /** Feeds a chunk; returns the bytes that are program output. Nothing passes after the marker. */
  feed(chunk: Buffer): Buffer {
    if (this.code !== null) return Buffer.alloc(0);
    const data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const at = data.indexOf(this.prefix);
    if (at >= 0) {
      const end = at + this.prefix.length + CODE_DIGITS;
      if (data.length > end) {
        const code = Number(data.subarray(at + this.prefix.length, end).toString('latin1'));
        if (Number.isInteger(code)) this.code = code;
        this.held = Buffer.alloc(0);
        return data.subarray(0, at);
      }
      this.held = data.subarray(at);
      return data.subarray(0, at);
    }
    const keep = this.partialPrefixAtEnd(data);
    this.held = data.subarray(data.length - keep);
    return data.subarray(0, data.length - keep);
  }

  /** At the end of the stream: whatever was held back was output after all. */
  flush(): Buffer {
    const rest = this.code === null ? this.held : Buffer.alloc(0);
    this.held = Buffer.alloc(0);
    return rest;
  }

  /** Length of the longest tail of `data` that is a beginning of the prefix. */
  private partialPrefixAtEnd(data: Buffer): number {
    const longest = Math.min(data.length, this.prefix.length - 1);
    for (let length = longest; length > 0; length--) {
      if (data.subarray(data.length - length).equals(this.prefix.subarray(0, length))) return length;
    }
    return 0;
  }
}
