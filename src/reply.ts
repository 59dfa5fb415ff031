import type { RunStatus } from '../sandbox/result.js';

/**
 * Reply: what the core hands an adapter to post (docs/architecture.md §2). Everything in it is already
 * truncated and escaped for the target platform, so adapters only post it.
 */
export interface Reply {
  /** `result`: the code ran (or the sandbox failed); `notice`: nothing ran (throttled, no code, …). */
  kind: 'result' | 'notice';
  /** The run's status for results; null for notices. */
  status: RunStatus | null;
  /** One line a user understands, e.g. "✅ done in 0.12 s". */
  statusLine: string;
  /** The whole message body (status line, fenced output, a hint), within the platform's length limit. */
  text: string;
  /** The full output as `output.txt` whenever it was cut; program files later. */
  attachments: Attachment[];
  /**
   * For results: the Python the code was asked to run in, as users choose it ("3.14"; the default
   * when none was named), so a platform can offer the others. Absent for notices, and when the
   * Python offered has no version named.
   */
  python?: string;
}

export interface Attachment {
  name: string;
  contentType: string;
  data: Buffer;
}
