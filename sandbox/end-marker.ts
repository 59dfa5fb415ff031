import { randomBytes } from 'node:crypto';

/**
 * The end-of-run marker. Once the program's process has exited, the bootstrap (bootstrap.py, a
 * process of its own beside the program) writes `\0sandpiper:<nonce>:<exit code, 3 digits>:<report
 * bytes, 10 digits>\n` to stderr, then, after collecting the files the run left, the same to stdout
 * followed by that many bytes of report (sandbox/files.ts; on stderr it is always 0). Seeing the
 * marker on both streams, and the whole report, means all the output has arrived and says how the
 * program ended, ~25 ms before Docker reports the container's exit (the teardown of runc,
 * containerd and dockerd). A run that ends any other way (killed, OOM) writes no marker and is
 * reported by Docker.
 *
 * The nonce is per run and the program can't learn it: only the bootstrap's process ever holds it,
 * and that process can't be read by the program (see bootstrap.py). Were it forged all the same, it
 * would buy nothing: the marker and its report must be the last thing on their stream, so anything
 * after them (a second marker, more output) breaks the run, which is then killed, and every byte
 * but the marker and report themselves counts against the output cap.
 */
export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

/** What follows the prefix: the exit code in three digits, the report's length in ten, a newline. */
const TAIL = /^(\d{3}):(\d{10})\n$/;
const TAIL_BYTES = 15;

export function markerPrefix(nonce: string): Buffer {
  return Buffer.from(`\0sandpiper:${nonce}:`);
}

/**
 * Finds the marker and its report in one stream's bytes, however they are chunked. Everything but
 * the one marker and its report is output and is passed on; bytes that might be the start of the
 * marker are held back until it is clear what they are (never more than the marker's length).
 */
export class MarkerScanner {
  private held: Buffer = Buffer.alloc(0);
  private code: number | null = null;
  private reportParts: Buffer[] = [];
  private reportMissing = 0;
  private broke = false;

  /** `maxReportBytes`: a marker announcing a longer report breaks the stream. */
  constructor(
    private readonly prefix: Buffer,
    private readonly maxReportBytes = 0,
  ) {}

  /** The exit code from the marker, once it was seen. */
  get found(): number | null {
    return this.code;
  }

  /** The report that followed the marker, once the marker and all of it have arrived. */
  get report(): Buffer | null {
    return this.code === null || this.reportMissing > 0 ? null : Buffer.concat(this.reportParts);
  }

  /** True once the stream broke the protocol: bytes after its report, or our prefix with a bad tail. */
  get broken(): boolean {
    return this.broke;
  }

  /** Feeds a chunk; returns the bytes that are program output. */
  feed(chunk: Buffer): Buffer {
    if (this.broke) return chunk;
    if (this.code !== null) return this.feedReport(chunk);
    const data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    const at = data.indexOf(this.prefix);
    if (at < 0) {
      const keep = this.partialPrefixAtEnd(data);
      this.held = data.subarray(data.length - keep);
      return data.subarray(0, data.length - keep);
    }
    const end = at + this.prefix.length + TAIL_BYTES;
    if (data.length < end) {
      this.held = data.subarray(at);
      return data.subarray(0, at);
    }
    const tail = TAIL.exec(data.subarray(at + this.prefix.length, end).toString('latin1'));
    const reportBytes = Number(tail?.[2]);
    if (!tail || reportBytes > this.maxReportBytes) {
      this.broke = true;
      return data;
    }
    this.code = Number(tail[1]);
    this.reportMissing = reportBytes;
    return Buffer.concat([data.subarray(0, at), this.feedReport(data.subarray(end))]);
  }

  /** Bytes after the marker: the report, then nothing (anything more is output, and breaks the stream). */
  private feedReport(chunk: Buffer): Buffer {
    const part = chunk.subarray(0, this.reportMissing);
    if (part.length) {
      this.reportParts.push(part);
      this.reportMissing -= part.length;
    }
    const rest = chunk.subarray(part.length);
    if (rest.length) this.broke = true;
    return rest;
  }

  /** At the end of the stream: whatever was held back was output after all. */
  flush(): Buffer {
    const rest = this.held;
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
