import { StringDecoder } from 'node:string_decoder';
import { MarkerScanner } from './end-marker.js';

export type StreamName = 'stdout' | 'stderr';

export interface CapturedOutput {
  /** stdout and stderr interleaved in arrival order. */
  output: string;
  stdout: string;
  stderr: string;
  /** Bytes kept, never more than the cap. */
  bytes: number;
  /** True once the program tried to write past the cap. */
  overflowed: boolean;
}

/**
 * Collects a run's stdout and stderr under ONE byte cap shared by both. Our memory is bounded by
 * the cap whatever the program prints: past it, bytes are dropped and `onOverflow` fires once, so
 * the runner can kill the container. Invalid UTF-8 becomes U+FFFD; a character split across chunks
 * is decoded whole, because each stream keeps its own streaming decoder.
 */
export class OutputCollector {
  private readonly pieces: string[] = [];
  private readonly perStream: Record<StreamName, string[]> = { stdout: [], stderr: [] };
  private readonly decoders: Record<StreamName, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  private bytes = 0;
  private overflowed = false;
  private markers: { scanners: Record<StreamName, MarkerScanner>; onEnd: (exitCode: number) => void } | null = null;

  constructor(
    private readonly capBytes: number,
    private readonly onOverflow: () => void = () => {},
  ) {}

  /**
   * Watches both streams for the end-of-run marker (see end-marker.ts): it is removed from the
   * output, and `onEnd` gets the exit code once both streams carried it.
   */
  expectMarker(prefix: Buffer, onEnd: (exitCode: number) => void): void {
    this.markers = { scanners: { stdout: new MarkerScanner(prefix), stderr: new MarkerScanner(prefix) }, onEnd };
  }

  push(stream: StreamName, chunk: Buffer): void {
    if (!this.markers) return this.keep(stream, chunk);
    const { scanners, onEnd } = this.markers;
    const wasFound = scanners[stream].found !== null;
    this.keep(stream, scanners[stream].feed(chunk));
    const { stdout, stderr } = { stdout: scanners.stdout.found, stderr: scanners.stderr.found };
    if (!wasFound && stdout !== null && stderr !== null) onEnd(stdout);
  }

  private keep(stream: StreamName, chunk: Buffer): void {
    if (this.overflowed || !chunk.length) return;
    const room = this.capBytes - this.bytes;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.bytes += kept.length;
    this.append(stream, this.decoders[stream].write(kept));
    if (chunk.length > room) {
      this.overflowed = true;
      this.onOverflow();
    }
  }

  /** Everything captured so far, with any trailing partial character flushed as U+FFFD. */
  finish(): CapturedOutput {
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
      overflowed: this.overflowed,
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
