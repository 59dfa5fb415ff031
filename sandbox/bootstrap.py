# Runs inside the sandbox as `python3 -u -c <this file>`. It reads one framed request from stdin,
# "<nonce> <code byte count>\n<code>", then runs the code; whatever follows the code on stdin is
# the program's own stdin (for input()). Being a parameter of the command, not a file in the image,
# it keeps the image contract to "python3 on PATH", and a pooled container can sit blocked here.
import atexit, linecache, os, sys, traceback, types

header = sys.stdin.buffer.readline().split()
if len(header) != 2:
    sys.exit(0)  # a pooled sandbox being discarded: stdin closed without a request
nonce, size = header
source = sys.stdin.buffer.read(int(size)).decode("utf-8", "replace")
del header, size

FILENAME = "main.py"
# Tracebacks show the offending source lines, as they would for a file on disk.
linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
sys.argv = [FILENAME]

exit_status = None  # what the program exited with, as SystemExit carries it
bootstrap_pid = os.getpid()  # forked children inherit the atexit hook below; only this process may end the run


def exit_code(status):
    if status is None:
        return 0
    if isinstance(status, int):
        return status & 0xFF
    return 1  # sys.exit("message"): Python prints the message and exits with 1


def report_end():
    # Registered first, so it runs last: after the program's own atexit handlers and after its
    # non-daemon threads have finished. Tells the runner "all output is out, and this is the exit
    # code" on both streams (see sandbox/end-marker.ts), before the slow container teardown.
    if os.getpid() != bootstrap_pid:
        return  # a forked child leaving through Python: its exit is not the end of the run
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:
            pass
    marker = b"\0sandpiper:%s:%03d\n" % (nonce, exit_code(exit_status))
    for fd in (1, 2):
        try:
            os.write(fd, marker)
        except OSError:
            pass  # the program closed it: Docker reports the exit instead


atexit.register(report_end)

# A fresh __main__ module, registered as such: pickle (multiprocessing) finds the user's functions
# there, and the user's globals don't mix with this bootstrap's.
main = types.ModuleType("__main__")
main.__file__ = FILENAME
main.__builtins__ = __builtins__
sys.modules["__main__"] = main

try:
    code = compile(source, FILENAME, "exec")
    exec(code, main.__dict__)
except SystemExit as error:
    exit_status = error.code
    raise
except BaseException as error:
    # Hide this bootstrap's own frame: users should see only their program in the traceback.
    traceback.print_exception(type(error), error, error.__traceback__.tb_next)
    exit_status = 1
    sys.exit(1)
