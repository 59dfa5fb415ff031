import { EventEmitter } from 'node:events';
import type { Args } from './body.js';
import type { Fault } from './faults.js';
import { waitUntil } from '../wait.js';

/**
 * One request the fake received. `method` is the Web API method, or `upload` (bytes POSTed to an
 * upload URL) or `response_url` (a POST to a response_url).
 */
export interface RecordedCall {
  seq: number;
  method: string;
  args: Args;
  token: string | undefined;
  contentType: string;
  /** HTTP status the fake answered. */
  status: number;
  /** The JSON the fake answered (or text for 5xx). */
  response: unknown;
  /** Set when the answer came from an injected fault. */
  fault?: Fault;
  at: number;
}

/** Every call, in arrival order, with waiters so tests await calls instead of sleeping. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  record(call: Omit<RecordedCall, 'seq' | 'at'>): RecordedCall {
    const full: RecordedCall = { ...call, seq: this.calls.length + 1, at: Date.now() };
    this.calls.push(full);
    this.emitter.emit('call');
    return full;
  }

  to(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** First call (past or future) to `method` that satisfies `predicate`. */
  waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    return waitUntil(this.emitter, 'call', () => this.calls.find((c) => c.method === method && predicate(c)), timeoutMs,
      () => `a matching ${method} call (calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'})`);
  }
}
