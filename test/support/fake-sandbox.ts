import { DEFAULT_PYTHON } from '../../sandbox/image/pythons.js';
import type { RunResult } from '../../sandbox/result.js';
import type { RunInput } from '../../sandbox/runner.js';
import type { RunOptions, Sandbox, SandboxReadiness } from '../../src/sandbox.js';

/**
 * A stand-in for the Docker sandbox in platform tests: it "runs" code by answering with a canned
 * RunResult. By default `print("x")` / `print('x')` lines print x (in the code, or after `-c` in
 * the interpreter's arguments), and anything else runs fine
 * silently; pass a handler to answer otherwise (it may be async, to hold a run open). Like the real
 * sandbox, a run whose `signal` aborts ends at once as 'cancelled'. Every input is kept in `calls`
 * and its options in `options`, in order.
 *
 *   const sandbox = new FakeSandbox((input) => (input.code.includes('boom') ? { status: 'error', exitCode: 1 } : {}));
 */
export type FakeRun = (input: RunInput) => Partial<RunResult> | Promise<Partial<RunResult>>;

export class FakeSandbox implements Sandbox {
  readonly calls: RunInput[] = [];
  readonly options: RunOptions[] = [];
  readonly ready: Promise<SandboxReadiness> = Promise.resolve({ ok: true });

  constructor(private readonly handler: FakeRun = printedStrings) {}

  async run(input: RunInput, options: RunOptions = {}): Promise<RunResult> {
    this.calls.push(input);
    this.options.push(options);
    const answer = await untilAborted(Promise.resolve(this.handler(input)), options.signal);
    const output = answer.output ?? '';
    const ok = (answer.status ?? 'ok') === 'ok';
    return {
      status: 'ok',
      exitCode: ok ? 0 : null,
      signal: null,
      output,
      stdout: output,
      stderr: '',
      outputBytes: Buffer.byteLength(output),
      durationMs: 12,
      files: [],
      filesLeftOut: {},
      // As if every version's image said its full version is X.Y.0.
      python: `${input.python ?? DEFAULT_PYTHON}.0`,
      ...answer,
    };
  }

  async close(): Promise<void> {}
}

/** The handler's answer, or a cancelled run's if `signal` aborts first. */
function untilAborted(answer: Promise<Partial<RunResult>>, signal?: AbortSignal): Promise<Partial<RunResult>> {
  if (!signal) return answer;
  const cancelled: Partial<RunResult> = { status: 'cancelled', signal: 'SIGKILL' };
  if (signal.aborted) return Promise.resolve(cancelled);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(cancelled);
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The literal strings in `print("…")` calls, one per line: enough Python for most tests. */
export function printedStrings({ code, argv }: RunInput): Partial<RunResult> {
  const source = argv?.[0] === '-c' ? (argv[1] ?? '') : code;
  const printed = [...source.matchAll(/print\((["'])(.*?)\1\)/g)].map((match) => `${match[2]}\n`);
  return { output: printed.join('') };
}
