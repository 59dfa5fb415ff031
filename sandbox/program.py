# Runs the user's program, in a process the bootstrap (bootstrap.py) forks before any request
# exists, with sys.argv[1] naming a descriptor: it reads the request from there until end-of-file
# (in marshal: the code, and for timeit the setup) and runs it; stdin is left to the program. How
# it exits is what the bootstrap reports. Imports cost every run: traceback (~5 ms) is imported only
# when something needs printing.
import atexit, builtins, io, linecache, marshal, os, sys, types


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

# Modules a pre-started sandbox imports while it waits for its request (SANDBOX_POOL_PREIMPORT):
# a plotting run then finds numpy and pyplot loaded. A module that fails to import is left to the
# program, which gets the error itself if it imports it.
for name in filter(None, os.environ.pop("SANDPIPER_PREIMPORT", "").split(",")):
    try:
        __import__(name)
    except Exception:
        pass

# Python is up (sandbox/up-signal.ts): the run's time limit counts from here. The first bytes on
# stdout, before any code has arrived.
os.write(1, b"\0sandpiper:up\n")

with open(int(sys.argv[1]), "rb") as request:
    request = marshal.loads(request.read())

# The interpreter's own command line instead of code (`python3 -c CODE`, `python3 main.py`,
# `python3 -m timeit …`: snekbox's `args`): this process becomes that interpreter, so every option
# means what Python says it means.
if request["argv"] is not None:
    os.execv(sys.executable, [sys.executable, *request["argv"]])

source = request["code"]

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


class LastLine(io.TextIOBase):
    """A stdout that keeps only the last line that isn't blank: timeit's summary, not the prints of
    the code it runs thousands of times."""

    line = ""

    def writable(self):
        return True

    def write(self, text):
        if text.strip():
            self.line = text.rstrip("\n")
        return len(text)


def time_it(statement, setup):
    """What `python -m timeit -s SETUP STATEMENT` prints, and nothing else on stdout."""
    import timeit

    stdout, sys.stdout = sys.stdout, LastLine()
    try:
        failed = timeit.main(["-s", setup, "--", statement])  # prints its own traceback on error
    finally:
        summary, sys.stdout = sys.stdout.line, stdout
    if failed:
        return 1
    print(summary)
    return 0


try:
    if request["timeit"] is None:
        exec(compile(source, FILENAME, "exec"), main.__dict__)
        status = 0
    else:
        status = time_it(source, request["timeit"]["setup"])
except SystemExit as error:
    status = exit_code(error.code)
except BaseException as error:
    # Hide this file's own frame: users should see only their program in the traceback.
    import traceback

    traceback.print_exception(type(error), error, error.__traceback__.tb_next)
    status = 1

# Figures still open become PNG files, as plt.show() makes them (the image's matplotlib backend).
plots = sys.modules.get("sandpiper_plots")
if plots is not None:
    try:
        plots.save_figures()
    except Exception:
        import traceback

        traceback.print_exc()

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
