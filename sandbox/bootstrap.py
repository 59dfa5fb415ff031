# Runs inside the sandbox, under tini, as `python3 -I -S -c <this file> <program.py's source>`.
# It starts the program's process (program.py) at once, then reads one framed request from stdin,
# "<nonce> <code byte count>\n<code>", and hands the code over; whatever follows the code on stdin
# is the program's own stdin (for input()). Once the program's process has exited, it writes the
# end-of-run marker (sandbox/end-marker.ts) with the program's exit code.
#
# The nonce is why this is a process of its own: only here is it ever in memory, and the program,
# although it runs as the same uid, can't read this process (it is not dumpable: no /proc/<pid>/mem,
# process_vm_readv or ptrace without CAP_SYS_PTRACE) nor interrupt it (its signals are blocked).
# The program's process is exec'd before any request exists and never sees the frame.
import os, signal, sys

signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())

code_out, code_in = os.pipe()
os.set_inheritable(code_out, True)
# fork and exec, not posix_spawn: glibc's posix_spawn gives up when clone3 is refused (EPERM under
# gVisor with a seccomp profile), where fork uses clone.
program = os.fork()
if program == 0:
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, ())  # the program starts with no signal blocked
        os.execv(sys.executable, [sys.executable, "-u", "-c", sys.argv[1], str(code_out)])
    finally:
        os._exit(127)
os.close(code_out)

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


# Byte by byte up to the newline: not one byte of the program's stdin may be taken from it.
header = b""
while not header.endswith(b"\n") and len(header) < 64:
    byte = os.read(0, 1)
    if not byte:
        break
    header += byte
fields = header.split()
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
