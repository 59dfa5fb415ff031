# Runs the user's program, in a process the bootstrap (bootstrap.py) forks before any request
# exists, with sys.argv[1] naming a descriptor: it reads the code from there until end-of-file and
# runs it; stdin is left to the program. How it exits is what the bootstrap reports.
import atexit, builtins, io, linecache, os, sys, traceback, types


class WholeWrites(io.FileIO):
    # gVisor's pipes can take a large write only in part, and an unbuffered (-u) text stream drops
    # the rest without a word: the run would end well, with its output silently cut.
    def write(self, data):
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = super().write(view[done:])
            if written is None:  # the program made the descriptor non-blocking, and it is full
                break
            done += written
        return done


def whole(stream):
    raw = WholeWrites(stream.fileno(), "w", closefd=False)
    raw.name = stream.name
    return io.TextIOWrapper(raw, stream.encoding, stream.errors, write_through=True)


sys.stdout = sys.__stdout__ = whole(sys.stdout)
sys.stderr = sys.__stderr__ = whole(sys.stderr)

with open(int(sys.argv[1]), "rb") as code:
    source = code.read().decode("utf-8", "replace")

FILENAME = "main.py"
# Tracebacks show the offending source lines, as they would for a file on disk.
linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
sys.argv = [FILENAME]

# A fresh __main__ module, registered as such: pickle (multiprocessing) finds the user's functions
# there, and the user's globals don't mix with this file's.
main = types.ModuleType("__main__")
main.__file__ = FILENAME
main.__builtins__ = builtins
sys.modules["__main__"] = main



def exit_code(status):
    """The exit code Python itself makes of sys.exit(status)."""
    if status is None:
        return 0
    if isinstance(status, int):
        return status & 0xFF
    print(status, file=sys.stderr)  # sys.exit("message"): the message, and 1
    return 1


try:
    exec(compile(source, FILENAME, "exec"), main.__dict__)
    status = 0
except SystemExit as error:
    status = exit_code(error.code)
except BaseException as error:
    # Hide this file's own frame: users should see only their program in the traceback.
    traceback.print_exception(type(error), error, error.__traceback__.tb_next)
    status = 1

# Python's own shutdown up to the last output a program means to give: its non-daemon threads,
# then its atexit handlers (multiprocessing's among them), then the streams. The interpreter's
# teardown after that takes ~8 ms and, as a run's end waits for this process to exit, is skipped.
threading = sys.modules.get("threading")
if threading is not None:
    threading._shutdown()
atexit._run_exitfuncs()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except Exception:
        pass
os._exit(status)
