/** One request to the sandbox, and how it travels to the bootstrap. */
export interface RunInput {
  code: string;
  /** What the program reads from stdin (input()); empty by default. */
  stdin?: string;
}

export interface RunOptions {
  /** Ties the run to its chat request: in the runner's log lines and as a container label (sandpiper.request). */
  requestId?: string;
  /** Aborting cancels the run: the container is killed and removed, and the result has status 'cancelled'. */
  signal?: AbortSignal;
  /**
   * 'low' for a user whose last run used up a quota (a bomb, most likely): the run starts a sandbox
   * of its own, leaving the pre-started ones to others, and yields the CPU to theirs.
   */
  priority?: RunPriority;
}

export type RunPriority = 'normal' | 'low';

/**
 * The wire format the bootstrap reads: "<nonce> <code bytes, 10 digits>\n<code><stdin>". The header
 * has a fixed length (28 bytes with the 16-digit nonce), so the bootstrap takes it in one read
 * without touching the program's stdin.
 */
export function frameRequest({ code, stdin = '' }: RunInput, nonce: string): Buffer {
  const source = Buffer.from(code, 'utf8');
  const header = `${nonce} ${String(source.length).padStart(10, '0')}\n`;
  return Buffer.concat([Buffer.from(header), source, Buffer.from(stdin, 'utf8')]);
}

/** Why code can't be run at all, or null when it can. */
export function refuseCode(code: string, maxCodeBytes: number): string | null {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes <= maxCodeBytes) return null;
  return `the code is ${formatKiB(bytes)}, over the ${formatKiB(maxCodeBytes)} limit`;
}

function formatKiB(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}
