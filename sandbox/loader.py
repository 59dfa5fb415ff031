# The sandbox's command line (python3 -u -c <this file>): reads the bootstrap and program.py from
# stdin, each as 10 digits of length then the source (sandbox/boot.ts), and runs the bootstrap
# with program.py's source as sys.argv[1].
import os, sys


def take(count):
    data = b""
    while len(data) < count:
        chunk = os.read(0, count - len(data))
        if not chunk:
            os._exit(0)  # stdin closed first: a pre-started sandbox discarded before it was used
        data += chunk
    return data


bootstrap = take(int(take(10)))
sys.argv = ["-c", take(int(take(10)))]
exec(compile(bootstrap, "<bootstrap>", "exec"))
