# Runs inside the sandbox as `python3 -u -c <this file>`. It reads one framed request from stdin,
# "<code byte count>\n<code>", then runs the code; whatever follows the code on stdin is the
# program's own stdin (for input()). Being a parameter of the command, not a file in the image,
# it keeps the image contract to "python3 on PATH", and a pooled container can sit blocked here.
import linecache, sys, traceback, types

size = sys.stdin.buffer.readline()
if not size:
    sys.exit(0)  # a pooled sandbox that is being discarded: stdin closed without a request
source = sys.stdin.buffer.read(int(size)).decode("utf-8", "replace")
del size

FILENAME = "main.py"
# Tracebacks show the offending source lines, as they would for a file on disk.
linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
sys.argv = [FILENAME]

# A fresh __main__ module, registered as such: pickle (multiprocessing) finds the user's functions
# there, and the user's globals don't mix with this bootstrap's.
main = types.ModuleType("__main__")
main.__file__ = FILENAME
main.__builtins__ = __builtins__
sys.modules["__main__"] = main

try:
    code = compile(source, FILENAME, "exec")
    exec(code, main.__dict__)
except SystemExit:
    raise
except BaseException as error:
    # Hide this bootstrap's own frame: users should see only their program in the traceback.
    traceback.print_exception(type(error), error, error.__traceback__.tb_next)
    sys.exit(1)
