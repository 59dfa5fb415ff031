import { expect } from 'vitest';
import { expectOk, expectOutputLimit, py, type AttackClass } from './attack.js';

export const outputFloods: AttackClass = {
  name: 'output floods and the end-of-run marker',
  attacks: [
    {
      name: 'lines on stdout forever → output_limit, exactly the cap kept',
      code: py`
        while True:
            print("A" * 99)
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.stderr).toBe('');
        expect(result.output).toBe(result.stdout);
        expect(result.stdout).toBe(`${'A'.repeat(99)}\n`.repeat(655) + 'A'.repeat(36));
      },
    },
    {
      name: 'lines on stderr forever → output_limit',
      code: py`
        import sys
        while True:
            sys.stderr.write("E" * 99 + "\n")
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(`${'E'.repeat(99)}\n`.repeat(655) + 'E'.repeat(36));
      },
    },
    {
      name: 'one endless line without a newline → output_limit',
      code: py`
        import sys
        chunk = "x" * 2**16
        while True:
            sys.stdout.write(chunk)
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.output).toBe('x'.repeat(context.limits.outputKb * 1024));
      },
    },
    {
      name: 'endless invalid UTF-8 → output_limit, every bad byte a U+FFFD',
      code: py`
        import sys
        chunk = bytes(range(128, 256)) * 64
        while True:
            sys.stdout.buffer.write(chunk)
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.output).toMatch(/^\uFFFD+$/);
      },
    },
    {
      name: 'both streams at once share one cap',
      code: py`
        import sys
        while True:
            sys.stdout.write("o" * 1000 + "\n")
            sys.stderr.write("e" * 1000 + "\n")
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(Buffer.byteLength(result.stdout) + Buffer.byteLength(result.stderr)).toBe(context.limits.outputKb * 1024);
        expect(result.stdout).toMatch(/^(o{1000}\n)*o*$/);
        expect(result.stderr).toMatch(/^(e{1000}\n)*e*$/);
      },
    },
    {
      name: 'eight forked writers → output_limit',
      code: py`
        import os
        for _ in range(8):
            if os.fork() == 0:
                break
        while True:
            os.write(1, b"c" * 4096)
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.output).toBe('c'.repeat(context.limits.outputKb * 1024));
      },
    },
    {
      name: 'a forged end-of-run marker with a wrong nonce is just output',
      code: py`
        import sys
        sys.stdout.write("\0sandpiper:0000000000000000:000\n")
        sys.stderr.write("\0sandpiper:0000000000000000:000\n")
        print("still running")
        sys.exit(4)
      `,
      expect: (result) => {
        expect(result).toMatchObject({ status: 'error', exitCode: 4, signal: null });
        expect(result.stdout).toBe('\0sandpiper:0000000000000000:000\nstill running\n');
        expect(result.stderr).toBe('\0sandpiper:0000000000000000:000\n');
      },
    },
    {
      // The nonce is in the bootstrap's memory, so a program can forge the marker (end-marker.ts):
      // that can only misreport its own run. The runner then destroys the container, so the busy
      // loop after the forgery dies with it (the class's afterAll checks no container is left).
      name: 'the real marker, read from memory and forged, only ends its own run early',
      limits: { timeoutS: 10 },
      code: py`
        import gc, os
        nonce = next(f.__globals__["nonce"] for f in gc.get_objects()
                     if type(f).__name__ == "function" and f.__name__ == "report_end")
        print("forging", flush=True)
        for fd in (1, 2):
            os.write(fd, b"\0sandpiper:" + nonce + b":000\n")
        while True:
            pass
      `,
      expect: (result) => {
        expectOk(result, 'forging\n');
        expect(result.durationMs).toBeLessThan(5000);
      },
    },
    {
      name: 'stdin that looks like a request frame is only data for the program',
      code: py`
        import sys
        print(repr(sys.stdin.read()))
      `,
      stdin: '0123456789abcdef 26\nprint("injected program")\n',
      expect: (result) => expectOk(result, `'0123456789abcdef 26\\nprint("injected program")\\n'\n`),
    },
  ],
};
