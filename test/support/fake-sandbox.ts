import type { RunResult } from '../../sandbox/result.js';
import type { RunInput } from '../../sandbox/runner.js';
import type { SandboxPort } from '../../src/evaluator.js';

/**
 * A stand-in for the Docker sandbox in platform tests: it "runs" code by answering with a canned
 * RunResult. By default `print("x")` / `print('x')` lines print x, and anything else runs fine
 * silently; pass a handler to answer otherwise (it may be async, to hold a run open). Every input
 * is kept in `calls`, in order.
 *
 *   const sandbox = new FakeSandbox((input) => (input.code.includes('boom') ? { status: 'error', exitCode: 1 } : {}));
 */
export type FakeRun = (input: RunInput) => Partial<RunResult> | Promise<Partial<RunResult>>;

export class FakeSandbox implements SandboxPort {
  readonly calls: RunInput[] = [];

  constructor(private readonly handler: FakeRun = printedStrings) {}

  async run(input: RunInput): Promise<RunResult> {
    this.calls.push(input);
    const answer = await this.handler(input);
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
      ...answer,
    };
  }
}

/** The literal strings in `print("…")` calls, one per line: enough Python for most tests. */
export function printedStrings({ code }: RunInput): Partial<RunResult> {
  const printed = [...code.matchAll(/print\((["'])(.*?)\1\)/g)].map((match) => `${match[2]}\n`);
  return { output: printed.join('') };
}
