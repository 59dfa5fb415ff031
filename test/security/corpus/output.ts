import { expect } from 'vitest';
import { expectOk, expectOutputLimit, lines, onRuntime, PROBES, py, type AttackClass } from './attack.js';

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
      // gVisor's pipes take a large write only in part, and an unbuffered text stream used to drop
      // the rest without a word: the run read `ok` with exactly the cap kept.
      name: 'one 50 MB write without a newline → output_limit',
      code: py`
        import sys
        sys.stdout.write("w" * 50_000_000)
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.output).toBe('w'.repeat(context.limits.outputKb * 1024));
      },
    },
    {
      name: 'exactly the cap, then a clean exit → output_limit (reaching the cap is the limit)',
      code: py`
        import os
        data = memoryview(b"q" * 64 * 1024)
        while data:  # a pipe may take a big write in part (gVisor's, when it isn't empty)
            data = data[os.write(1, data):]
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.output).toBe('q'.repeat(context.limits.outputKb * 1024));
      },
    },
    {
      name: 'eight threads writing 1 MB at once, to both streams → output_limit',
      code: py`
        import os, threading
        def flood(fd):
            while True:
                os.write(fd, b"t" * 2**20)
        for i in range(8):
            threading.Thread(target=flood, args=(1 + i % 2,)).start()
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        expect(result.output).toBe('t'.repeat(context.limits.outputKb * 1024));
      },
    },
    {
      // The end-of-run marker stops the runner reading: were its nonce in reach, a program could
      // forge it and stream without a cap. Everywhere a program can look: the objects the garbage
      // collector knows and the frames up its stack, the whole memory of every process it may
      // read (its own included), every command line and environment, and what is left on stdin.
      // Each candidate is tried as a marker; then it floods.
      name: 'hunting the end-of-run nonce everywhere finds nothing; the flood after it is capped',
      limits: { timeoutS: 15 },
      code: py`
        import gc, os, re, sys
        HEX16 = re.compile(rb"(?<![0-9a-f])[0-9a-f]{16}(?![0-9a-f])")
        FRAME = re.compile(rb"(?<![0-9a-f])([0-9a-f]{16}) [0-9]+\n")
        found = set()
        def values(namespace):
            return [v.encode(errors="replace") if isinstance(v, str) else v for v in list(namespace.values())]
        spaces = [o for o in gc.get_objects() if isinstance(o, dict)]
        frame = sys._getframe()
        while frame:
            spaces += [frame.f_globals, frame.f_locals]
            frame = frame.f_back
        for space in spaces:
            found.update(v for v in values(space) if isinstance(v, bytes) and HEX16.fullmatch(v))
        readable = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            for name in ("cmdline", "environ"):
                try:
                    found.update(HEX16.findall(open(f"/proc/{pid}/{name}", "rb").read()))
                except OSError:
                    pass
            try:
                with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
                    for line in maps:
                        span, perms = line.split()[:2]
                        start, end = (int(x, 16) for x in span.split("-"))
                        if perms[0] != "r" or end - start > 2**30:
                            continue
                        try:
                            mem.seek(start)
                            found.update(FRAME.findall(mem.read(end - start)))
                        except (OSError, ValueError, OverflowError):
                            pass
                readable += 1
            except OSError:
                pass
        found.update(HEX16.findall(sys.stdin.buffer.read()))
        print("memory read of", readable, "processes; candidates:", len(found), flush=True)
        for nonce in found:
            for fd in (1, 2):
                os.write(fd, b"\0sandpiper:" + nonce + b":000\n")
        while True:
            os.write(1, b"f" * 4096)
      `,
      expect: (result, context) => {
        expectOutputLimit(result, context);
        // Its own memory, and on runc tini's (same uid, and tini never holds the nonce); never the
        // bootstrap's, which holds it.
        const readable = onRuntime(context, { runc: 2, runsc: 1 });
        const said = `memory read of ${readable} processes; candidates: 0\n`;
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe(said + 'f'.repeat(context.limits.outputKb * 1024 - said.length));
      },
    },
    {
      // Only the bootstrap's process holds the nonce. It runs as the same uid as the program, so it
      // is made non-dumpable (its memory and tracing it need CAP_SYS_PTRACE then, which no sandbox
      // has) and blocks every signal it can; the run then ends as usual. gVisor checks that only for
      // the memory: the rest it shows holds nothing secret (the sandbox's environment allowlist,
      // addresses, and descriptors of the pipes the program has too).
      name: 'the process holding the nonce can be neither read, traced nor interrupted',
      code: py`
        ${PROBES}
        import signal
        boot = os.getppid()
        print("parent:", open(f"/proc/{boot}/comm").read().strip())
        attempt("mem", lambda: open(f"/proc/{boot}/mem", "rb").close())
        attempt("a thread's mem", lambda: open(f"/proc/{boot}/task/{boot}/mem", "rb").close())
        attempt("environ", lambda: open(f"/proc/{boot}/environ", "rb").close())
        attempt("maps", lambda: open(f"/proc/{boot}/maps", "rb").read())
        attempt("fd", lambda: os.listdir(f"/proc/{boot}/fd"))
        buffer = ctypes.create_string_buffer(16)
        local = (ctypes.c_void_p * 2)(ctypes.addressof(buffer), 16)
        remote = (ctypes.c_void_p * 2)(0x400000, 16)
        syscall("process_vm_readv", 310, boot, local, 1, remote, 1, 0)
        syscall("ptrace(PTRACE_ATTACH)", 101, 16, boot, 0, 0)
        syscall("ptrace(PTRACE_SEIZE)", 101, 0x4206, boot, 0, 0)
        pidfd = libc.syscall(434, boot, 0)
        syscall("pidfd_getfd", 438, pidfd, 1, 0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGALRM, signal.SIGCHLD):
            os.kill(boot, sig)
        print("signalled", flush=True)
      `,
      expect: (result, context) => {
        const shown = onRuntime(context, { runc: 'EACCES', runsc: 'ok' });
        expectOk(
          result,
          lines(
            'parent: python3',
            'mem: EACCES',
            "a thread's mem: EACCES",
            `environ: ${shown}`,
            `maps: ${shown}`,
            `fd: ${shown}`,
            'process_vm_readv: EPERM',
            'ptrace(PTRACE_ATTACH): EPERM',
            'ptrace(PTRACE_SEIZE): EPERM',
            'pidfd_getfd: EPERM',
            'signalled',
          ),
        );
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
