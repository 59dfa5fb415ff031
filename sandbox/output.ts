import { StringDecoder } from 'node:string_decoder';
import { MarkerScanner } from './end-marker.js';
import { UpScanner } from './up-signal.js';

export type StreamName = 'stdout' | 'stderr';

export interface CapturedOutput {
  /** stdout and stderr interleaved in arrival order. */
  output: string;
  stdout: string;
  stderr: string;
  /** Bytes kept, never more than the cap. */
  bytes: number;
  /** True once the output reached the cap. */
  capped: boolean;
}

/** What the collector tells the run about the end-of-run marker (see end-marker.ts). */
export interface MarkerEvents {
  /**
   * Both streams carried the marker, stdout its whole report: all output is in, and this is the
   * program's exit code and the report of its files.
   */
  ended(exitCode: number, report: Buffer): void;
  /** A stream broke the protocol (output after its marker, or a malformed marker), once. */
  broken(): void;
}

/**
 * Collects a run's stdout and stderr under ONE byte cap shared by both. Every byte counts, except
 * the one end-of-run marker per stream and the up signal that opens stdout: our memory is bounded
 * by the cap whatever the program prints, and once the output reaches the cap, later bytes are
 * dropped and `onCapped` fires once, so the runner can kill the container. Invalid UTF-8 becomes
 * U+FFFD; a character split across chunks is decoded whole, because each stream keeps its own
 * streaming decoder.
 */
export class OutputCollector {
  private readonly pieces: string[] = [];
  private readonly perStream: Record<StreamName, string[]> = { stdout: [], stderr: [] };
  private readonly decoders: Record<StreamName, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  private bytes = 0;
  private capped = false;
  private markers: { scanners: Record<StreamName, MarkerScanner>; events: MarkerEvents } | null = null;
  private saidBroken = false;
  private saidEnded = false;
  private readonly upScanner = new UpScanner();
  private sayUp!: (up: boolean) => void;
  /**
   * When the up signal arrived (performance.now()), taken as it is read: the run's output and its
   * end can come in the same chunk, before anything awaiting `up` runs.
   */
  upAt: number | null = null;
  /**
   * Settles once stdout's first bytes say whether Python came up: true when they are the up signal
   * (up-signal.ts, never counted as output), false when they are anything else or never come.
   */
  readonly up = new Promise<boolean>((resolve) => (this.sayUp = resolve));

  /** True once `up` has settled: Python has started (or stdout ended without saying so). */
  get upSettled(): boolean {
    return this.upScanner.up !== null;
  }

  constructor(
    private readonly capBytes: number,
    private readonly onCapped: () => void = () => {},
  ) {}

  /**
   * Watches both streams for the end-of-run marker, which is removed from the output with the
   * report after it (on stdout only, at most `maxReportBytes`).
   */
  expectMarker(prefix: Buffer, maxReportBytes: number, events: MarkerEvents): void {
    this.markers = {
      scanners: { stdout: new MarkerScanner(prefix, maxReportBytes), stderr: new MarkerScanner(prefix) },
      events,
    };
  }

  /** True once the program has ended (the bootstrap writes stderr's marker first, then collects files). */
  get programEnded(): boolean {
    return this.markers?.scanners.stderr.found != null;
  }

  push(stream: StreamName, chunk: Buffer): void {
    if (stream === 'stdout' && this.upScanner.up === null) {
      chunk = this.upScanner.feed(chunk);
      if (this.upScanner.up) this.upAt = performance.now();
      if (this.upScanner.up !== null) this.sayUp(this.upScanner.up);
    }
    if (!this.markers) return this.keep(stream, chunk);
    const { scanners, events } = this.markers;
    this.keep(stream, scanners[stream].feed(chunk));
    if (scanners[stream].broken && !this.saidBroken) {
      this.saidBroken = true;
      events.broken();
    }
    const report = scanners.stdout.report;
    if (report !== null && scanners.stderr.report !== null && !this.saidEnded) {
      this.saidEnded = true;
      events.ended(scanners.stdout.found ?? 0, report);
    }
  }

  private keep(stream: StreamName, chunk: Buffer): void {
    if (this.capped || !chunk.length) return;
    const kept = chunk.subarray(0, this.capBytes - this.bytes);
    this.bytes += kept.length;
    this.append(stream, this.decoders[stream].write(kept));
    if (this.bytes === this.capBytes) {
      this.capped = true;
      this.onCapped();
    }
  }

  /** Everything captured so far, with any trailing partial character flushed as U+FFFD. */
  finish(): CapturedOutput {
    this.keep('stdout', this.upScanner.flush());
    this.sayUp(false); // a no-op once it has settled
    for (const stream of ['stdout', 'stderr'] as const) {
      const held = this.markers?.scanners[stream].flush();
      if (held) this.keep(stream, held);
      this.append(stream, this.decoders[stream].end());
    }
    return {
      output: this.pieces.join(''),
      stdout: this.perStream.stdout.join(''),
      stderr: this.perStream.stderr.join(''),
      bytes: this.bytes,
      capped: this.capped,
    };
  }

  private append(stream: StreamName, text: string): void {
    if (!text) return;
    this.pieces.push(text);
    this.perStream[stream].push(text);
  }
}

const HEADER_BYTES = 8;

/**
 * Splits Docker's multiplexed attach stream (8-byte header: stream type, 3 zero bytes, big-endian
 * length; then the payload) into stdout and stderr chunks. Returns the function to feed it with.
 */
export function createDemuxer(sink: (stream: StreamName, chunk: Buffer) => void): (data: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (data) => {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    while (pending.length >= HEADER_BYTES) {
      const type = pending[0];
      const length = pending.readUInt32BE(4);
      if (pending.length < HEADER_BYTES + length) break;
      const payload = pending.subarray(HEADER_BYTES, HEADER_BYTES + length);
      // Type 1 is stdout, 2 is stderr; 0 (stdin echo) never comes for a non-TTY attach.
      if (type === 2) sink('stderr', payload);
      else sink('stdout', payload);
      pending = pending.subarray(HEADER_BYTES + length);
    }
  };
}
