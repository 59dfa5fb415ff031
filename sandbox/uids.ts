import { randomInt } from 'node:crypto';

/**
 * The uids sandboxes run as (each also its gid): one per live container, never shared. Linux keeps
 * some budgets per user: inotify instances, POSIX message queue bytes, pending signals (and so
 * timers), pipe buffer pages, file descriptors in flight over unix sockets, locked shared memory,
 * and the processes the nproc ulimit allows (sandbox/spec.ts).
 * Were every sandbox the same user, one run could exhaust them for every run beside it.
 *
 * The block 0x70000000 + 64 Ki is one nothing else hands out: login users stay below 60000,
 * /etc/subuid ranges (rootless containers, userns-remap) start at 100000 and useradd keeps them
 * below 600100000, systemd-nspawn picks from 524288–1879048191 and systemd leaves
 * 1879048192–2147483647 unused; Docker refuses ids from 2^31 on.
 */
export const FIRST_SANDBOX_UID = 0x7000_0000;
export const RESERVED_UID_COUNT = 0x1_0000;

/**
 * Hands out uids of a range, one per container, and takes each back only once that container is
 * removed. It walks the range from a random point: a uid comes back as late as possible, and two
 * processes sharing an engine (which can't see each other's uids) start far apart.
 */
export class UidRange {
  private readonly held = new Set<number>();
  private next: number;

  constructor(
    readonly first: number,
    readonly count: number,
    start = randomInt(count),
  ) {
    this.next = start;
  }

  /** A uid that no live container of this process has; throws when all of them are held. */
  acquire(): number {
    for (let tried = 0; tried < this.count; tried++) {
      const uid = this.first + this.next;
      this.next = (this.next + 1) % this.count;
      if (!this.held.has(uid)) {
        this.held.add(uid);
        return uid;
      }
    }
    throw new Error(`all ${this.count} sandbox uids are held by live containers`);
  }

  /** Gives `uid` back: its container is gone. */
  release(uid: number): void {
    this.held.delete(uid);
  }

  holds(uid: number): boolean {
    return this.held.has(uid);
  }
}

/** The uids of this process's sandboxes: every runner draws from the one range. */
export const sandboxUids = new UidRange(FIRST_SANDBOX_UID, RESERVED_UID_COUNT);
