# Runs inside the sandbox, under tini, started by loader.py, which reads it and program.py's source
# (sys.argv[1]) from stdin (sandbox/boot.ts). It forks the program's process at once, then reads
# one framed request from stdin
# (sandbox/request.ts): a header "<nonce> <metadata byte count, 10 digits>\n", the metadata in
# marshal (the code, how to run it, the input files' names and sizes, the limits for collecting
# files), then the input files' bytes. It writes the input files to the working directory and hands
# the rest to the program; whatever follows on stdin is the program's own stdin (for input()). Once
# the program's process has exited, it ends whatever the program left running, collects the files
# the run left behind (sandbox/files.ts reads them), and writes the end-of-run marker
# (sandbox/end-marker.ts).
#
# The nonce is why this is a process of its own: only here is it ever in memory, and the program,
# although it runs as the same uid, can't read this process (it is not dumpable: no /proc/<pid>/mem,
# process_vm_readv or ptrace without CAP_SYS_PTRACE) nor interrupt it (its signals are blocked).
# The program's process is forked before any request exists (one interpreter start-up for both).
# Every import here is paid in every run, so this file and program.py import only what is built
# into the interpreter or cheap: requests come in marshal (sandbox/marshal.ts), not JSON (`json`
# pulls in `re` and `enum`, ~6 ms of CPU), and signals come from `_signal`, the module `signal`
# wraps in enums (~6 ms more).
import _signal, marshal, os, sys

# matplotlib's font cache, built into the image: linked where matplotlib looks for it (under
# HOME=/tmp, which is empty at each start), so no run rebuilds it. Before the fork: a pre-started
# program may import matplotlib at once (SANDBOX_POOL_PREIMPORT).
PREBUILT_CACHES = {"/opt/sandpiper/matplotlib": "/tmp/.cache/matplotlib"}
for prebuilt, cache in PREBUILT_CACHES.items():
    try:
        names = os.listdir(prebuilt)
    except OSError:
        continue  # an image without one: matplotlib builds its cache as usual
    os.makedirs(cache, exist_ok=True)
    for name in names:
        os.symlink(os.path.join(prebuilt, name), os.path.join(cache, name))

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
_signal.pthread_sigmask(_signal.SIG_BLOCK, _signal.valid_signals())

import ctypes, stat, time

PR_SET_DUMPABLE = 4
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
    os.write(2, b"sandbox: could not protect the end-of-run marker; nothing was run\n")
    os._exit(70)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read(fd, count):
    """Up to `count` bytes from `fd`: fewer only at its end."""
    data = bytearray()
    while len(data) < count:
        chunk = os.read(fd, min(count - len(data), 1 << 20))
        if not chunk:
            break
        data += chunk
    return bytes(data)


# A header of fixed length, then exactly the metadata and the files: not one byte of the program's
# stdin may be taken from it.
HEADER_BYTES = 28
fields = read(0, HEADER_BYTES).split()
if len(fields) != 2 or not fields[1].isdigit():
    os._exit(0)  # a pooled sandbox being discarded: stdin closed without a request

def create(path):
    """A new file at `path` (relative: "data.csv", "mod/lib.py"), its folders made as needed.
    The host checked the path (plain parts, none "." or ".."); each step refuses a symbolic link."""
    *folders, name = path.split("/")
    where = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        for folder in folders:
            try:
                os.mkdir(folder, 0o755, dir_fd=where)
            except FileExistsError:
                pass
            inner = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=where)
            os.close(where)
            where = inner
        return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=where)
    finally:
        os.close(where)


nonce = fields[0]
request = marshal.loads(read(0, int(fields[1])))
inputs = {}
for entry in request["files"]:
    data = read(0, entry["size"])
    fd = create(entry["name"])
    write_all(fd, data)
    os.close(fd)
    inputs[entry["name"]] = data
try:
    program_request = {"code": request["code"], "timeit": request["timeit"], "argv": request["argv"]}
    write_all(code_in, marshal.dumps(program_request))
except OSError:
    pass  # the program's process is gone already: its exit status tells how
os.close(code_in)

status = os.waitpid(program, 0)[1]
if os.WIFSIGNALED(status):
    # Killed (by the OOM killer, say): no marker. Docker reports the same exit code, and whether
    # the kernel's OOM killer did it.
    os._exit(128 + os.WTERMSIG(status))
code = os.waitstatus_to_exitcode(status)


def end_leftovers(deadline):
    """The run ends with the program's process: whatever it left running (every process of this
    uid but this one and init) is killed, and gone before the files are read or the marker written,
    so nothing can change them or write after the marker."""
    try:
        os.kill(-1, _signal.SIGKILL)
    except ProcessLookupError:
        return  # nothing was left running
    me = os.getpid()
    while time.monotonic() < deadline:
        alive = False
        for pid in filter(str.isdigit, os.listdir("/proc")):
            if int(pid) in (1, me):
                continue
            try:
                with open("/proc/%s/stat" % pid, "rb") as f:
                    state = f.read().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            alive = alive or state not in (b"Z", b"X")
        if not alive:
            return
        time.sleep(0.005)


def collect(limits, deadline):
    """The regular files the run created or changed under the working directory, by path, within
    the limits; and how many were left out, by reason. Never follows a symbolic link, never reads
    more of a file than the limits allow, skips names starting with "." or "_"."""
    found, left_out = [], {}
    skip = lambda reason, count=1: left_out.__setitem__(reason, left_out.get(reason, 0) + count)
    pending, entries = [("", ".")], 0
    while pending:
        prefix, directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                for entry in listing:
                    entries += 1
                    if entries > limits["entries"] or time.monotonic() > deadline:
                        skip("walk", 0)
                        pending = []
                        break
                    if entry.name.startswith((".", "_")):
                        continue
                    path = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if path.count("/") + 1 < limits["depth"]:
                            pending.append((path + "/", entry.path))
                        else:
                            skip("walk", 0)
                    elif entry.is_file(follow_symlinks=False):
                        found.append((path, entry.path))
        except OSError:
            continue
    files, total = [], 0
    for path, where in sorted(found):
        try:
            fd = os.open(where, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                continue
            size = info.st_size
            unchanged = path in inputs and len(inputs[path]) == size and read(fd, size) == inputs[path]
            if unchanged:
                continue
            reason = ("count" if len(files) == limits["files"] else "size" if size > limits["file_bytes"]
                      else "total" if total + size > limits["total_bytes"] else None)
            if reason:
                skip(reason)
                continue
            os.lseek(fd, 0, os.SEEK_SET)
            data = read(fd, size)
        finally:
            os.close(fd)
        files.append((path, data))
        total += len(data)
    return files, left_out


def report(files, left_out):
    """The files as sandbox/files.ts reads them: per file a line "file <path bytes> <size>", then
    the path and the file's bytes; last, a line "left_out" and " <reason>=<count>" per reason."""
    parts = []
    for path, data in files:
        name = os.fsencode(path)
        parts += [b"file %d %d\n" % (len(name), len(data)), name, data]
    counts = b"".join(b" %s=%d" % (reason.encode(), count) for reason, count in left_out.items())
    parts.append(b"left_out%s\n" % counts)
    return b"".join(parts)


limits = request["collect"]
started = time.monotonic()
end_leftovers(started + limits["seconds"] / 2)
try:
    write_all(2, b"\0sandpiper:%s:%03d:%010d\n" % (nonce, code, 0))  # the program has ended
except OSError:
    pass
block = report(*collect(limits, started + limits["seconds"]))
try:
    write_all(1, b"\0sandpiper:%s:%03d:%010d\n" % (nonce, code, len(block)) + block)
except OSError:
    pass
os._exit(code)
