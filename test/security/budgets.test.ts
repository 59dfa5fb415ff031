import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type SandboxRuntime } from '../../sandbox/limits.js';
import { RESERVED_UID_COUNT, FIRST_SANDBOX_UID } from '../../sandbox/uids.js';
import { leftovers, makeRunner, RUNTIMES } from '../support/sandbox.js';
import { py } from './corpus/attack.js';

/**
 * Kernel budgets Linux keeps per user (inotify instances, POSIX message queue bytes, pending
 * signals, and under runc processes by the nproc ulimit) must be per sandbox: one run exhausting
 * them while another runs concurrently leaves the other's untouched. Both runs share a pooled
 * runner, so they start at once.
 */

/** How long the hog holds what it took, and how long the victim keeps probing, in seconds. */
const HOLD_S = 8;
const PROBE_S = 12;

/**
 * Exhausts each budget in a child of its own (so the children's descriptors don't compete), says
 * where each one stopped, then holds them all for HOLD_S seconds, printing when it held them.
 * Processes come last, as no fork succeeds after them; gVisor's guest processes are bounded by its
 * memory instead, so there they are left out.
 */
const hog = (runtime: SandboxRuntime) => py`
  import ctypes, errno, os, resource, signal, time
  libc = ctypes.CDLL(None, use_errno=True)
  def refused(what, n):
      return f"{what}: {n} ({errno.errorcode[ctypes.get_errno()]})"
  def inotify():
      n = 0
      while libc.inotify_init1(0) >= 0:
          n += 1
      return refused("inotify instances", n)
  def message_queues():
      n = 0
      while libc.mq_open(f"/hog{n}".encode(), os.O_CREAT | os.O_RDWR, 0o600, None) >= 0:
          n += 1
      return refused("message queues", n)
  def pending_signals():
      signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGRTMIN])
      info = (ctypes.c_int * 32)(signal.SIGRTMIN, 0, -1)  # si_code SI_QUEUE
      n = 0
      while libc.syscall(129, os.getpid(), int(signal.SIGRTMIN), info) == 0:  # rt_sigqueueinfo
          n += 1
      return refused(f"pending signals (RLIMIT_SIGPENDING {resource.getrlimit(resource.RLIMIT_SIGPENDING)[0]})", n)
  def processes():
      n = 0
      while True:
          try:  # spawned, not forked: quick even on a busy host
              os.posix_spawn("/bin/sleep", ["sleep", "600"], {})
          except OSError as e:
              return f"processes (RLIMIT_NPROC {resource.getrlimit(resource.RLIMIT_NPROC)[0]}): {n} ({errno.errorcode[e.errno]})"
          n += 1
  print("uid", os.getuid(), flush=True)
  for exhaust in (inotify, message_queues, pending_signals${runtime === 'runc' ? ', processes' : ''}):
      r, w = os.pipe()
      if os.fork() == 0:
          os.write(w, exhaust().encode())
          signal.pause()  # holds its share until the sandbox ends
      os.close(w)
      print(os.read(r, 200).decode(), flush=True)
  print("held", time.time(), flush=True)
  time.sleep(${HOLD_S})
  print("released", time.time())
`;

/** Takes one of each budget (and gives it back) every 50 ms for PROBE_S seconds. */
const VICTIM = py`
  import ctypes, errno, json, os, signal, time
  libc = ctypes.CDLL(None, use_errno=True)
  signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGRTMIN])
  failures = set()
  def failed(what):
      failures.add(f"{what}: {errno.errorcode[ctypes.get_errno()]}")
  def probe():
      fd = libc.inotify_init1(0)
      failed("inotify_init1") if fd < 0 else os.close(fd)
      fd = libc.mq_open(b"/victim", os.O_CREAT | os.O_RDWR, 0o600, None)
      if fd < 0:
          failed("mq_open")
      else:
          os.close(fd)
          libc.mq_unlink(b"/victim")
      info = (ctypes.c_int * 32)(signal.SIGRTMIN, 0, -1)
      if libc.syscall(129, os.getpid(), int(signal.SIGRTMIN), info) < 0:
          failed("rt_sigqueueinfo")
      else:
          signal.sigtimedwait([signal.SIGRTMIN], 0)
      timer = ctypes.c_void_p()
      if libc.timer_create(1, None, ctypes.byref(timer)) < 0:  # CLOCK_MONOTONIC
          failed("timer_create")
      else:
          libc.timer_delete(timer)
      try:
          pid = os.fork()
      except OSError as e:
          failures.add(f"fork: {errno.errorcode[e.errno]}")
      else:
          if pid == 0:
              os._exit(0)
          os.waitpid(pid, 0)
  times = []
  end = time.time() + ${PROBE_S}
  while time.time() < end:
      times.append(time.time())
      probe()
      time.sleep(0.05)
  print(json.dumps({"uid": os.getuid(), "times": times, "failures": sorted(failures)}))
`;

describe.each(RUNTIMES)('kernel budgets are per sandbox on %s', (runtime) => {
  const runner = makeRunner(runtime, { timeoutS: 30 }, { poolSize: 2 });

  beforeAll(async () => {
    await runner.warmPool?.whenFull();
  });

  afterAll(async () => {
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('one sandbox exhausting inotify instances, message queues, pending signals and processes leaves another its own', async () => {
    const [hogged, victim] = await Promise.all([runner.run({ code: hog(runtime) }), runner.run({ code: VICTIM })]);
    expect(hogged).toMatchObject({ status: 'ok', stderr: '' });
    expect(victim).toMatchObject({ status: 'ok', stderr: '' });
    const [uidLine, ...rest] = hogged.stdout.trimEnd().split('\n');
    const held = Number(rest.find((line) => line.startsWith('held '))?.slice(5));
    const released = Number(rest.find((line) => line.startsWith('released '))?.slice(9));
    const probes = JSON.parse(victim.stdout) as { uid: number; times: number[]; failures: string[] };

    // The hog really took everything it could.
    if (runtime === 'runc') {
      const took = rest.slice(0, 4);
      // Up to each per-user limit of the host's kernel. RLIMIT_MSGQUEUE (819200 bytes) holds 9
      // queues of the default 10 messages of 8 KiB; RLIMIT_SIGPENDING is what dockerd passes on.
      const instances = Number(readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8'));
      expect(took.slice(0, 2)).toEqual([`inotify instances: ${instances} (EMFILE)`, 'message queues: 9 (EMFILE)']);
      expect(took[2]).toMatch(/^pending signals \(RLIMIT_SIGPENDING (\d+)\): \1 \(EAGAIN\)$/);
      // Up to the nproc ulimit, which equals the pids limit: tini, the bootstrap, the program and
      // the four exhausting children already count.
      const nproc = DEFAULT_LIMITS.pids;
      expect(took[3]).toBe(`processes (RLIMIT_NPROC ${nproc}): ${nproc - 7} (EAGAIN)`);
    } else {
      const took = rest.slice(0, 3);
      // gVisor's own limits, inside its kernel: inotify instances and message queues stop at the
      // descriptor limit (256, less the few already open), and it queues at most 32 signals.
      expect(took).toEqual([
        'inotify instances: 251 (EMFILE)',
        'message queues: 250 (EMFILE)',
        'pending signals (RLIMIT_SIGPENDING 0): 32 (EAGAIN)',
      ]);
    }
    // The victim probed while the hog held its budgets (so the test can't pass by missing it)...
    expect(probes.times.filter((t) => t > held && t < released).length).toBeGreaterThanOrEqual(10);
    // ...and never went short.
    expect(probes.failures).toEqual([]);
    // Each ran as a uid of its own from the sandboxes' range.
    const uids = [Number(uidLine?.replace('uid ', '')), probes.uid];
    for (const uid of uids) expect(uid - FIRST_SANDBOX_UID).toSatisfy((offset: number) => offset >= 0 && offset < RESERVED_UID_COUNT);
    expect(uids[0]).not.toBe(uids[1]);
  });
});
