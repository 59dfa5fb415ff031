# Runs inside the sandbox, under tini, as `python3 -u -c <this file> <program.py's source>`. It
# forks the program's process (program.py) at once, then reads one framed request from stdin,
# "<nonce> <code byte count, 10 digits>\n<code>", and hands the code over; whatever follows the code
# on stdin is the program's own stdin (for input()). Once the program's process has exited, it
# writes the end-of-run marker (sandbox/end-marker.ts) with the program's exit code.
#
# The nonce is why this is a process of its own: only here is it ever in memory, and the program,
# although it runs as the same uid, can't read this process (it is not dumpable: no /proc/<pid>/mem,
# process_vm_readv or ptrace without CAP_SYS_PTRACE) nor interrupt it (its signals are blocked).
# The program's process is forked before any request exists (one interpreter start-up for both).
import os, signal, sys

code_out, code_in = os.pipe()
program = os.fork()
if program == 0:
    try:
        os.close(code_in)
        program_source, sys.argv = sys.argv[1], ["-c", str(code_out)]
        exec(compile(program_source, "<program>", "exec"), {"__name__": "__program__"})
    finally:
        os._exit(70)  # program.py ends with os._exit: never fall through into the part below

os.close(code_out)
signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())

import ctypes

PR_SET_DUMPABLE = 4
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
    os.write(2, b"sandbox: could not protect the end-of-run marker; nothing was run\n")
    os._exit(70)


def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def read_exactly(count):
    data = b""
    while len(data) < count:
        chunk = os.read(0, count - len(data))
        if not chunk:
            break
        data += chunk
    return data


# A header of fixed length (sandbox/request.ts), then exactly the code: not one byte of the
# program's stdin may be taken from it.
HEADER_BYTES = 28
fields = read_exactly(HEADER_BYTES).split()
if len(fields) != 2 or not fields[1].isdigit():
    os._exit(0)  # a pooled sandbox being discarded: stdin closed without a request

nonce = fields[0]
try:
    write_all(code_in, read_exactly(int(fields[1])))
except OSError:
    pass  # the program's process is gone already: its exit status tells how
os.close(code_in)

status = os.waitpid(program, 0)[1]
if os.WIFSIGNALED(status):
    # Killed (by the OOM killer, say): no marker. Docker reports the same exit code, and whether
    # the kernel's OOM killer did it.
    os._exit(128 + os.WTERMSIG(status))
code = os.waitstatus_to_exitcode(status)
marker = b"\0sandpiper:%s:%03d\n" % (nonce, code)
for fd in (1, 2):
    try:
        write_all(fd, marker)  # far below PIPE_BUF: one write, and nothing can land inside it
    except OSError:
        pass
os._exit(code)
