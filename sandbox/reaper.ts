import type Docker from 'dockerode';
import { QUICK_CALL_MS, REMOVE_CALL_MS, withDeadline } from './deadline.js';
import { isGoneError } from './docker-errors.js';
import {
  LABEL_DEADLINE,
  LABEL_INSTANCE,
  LABEL_OWNER,
  LABEL_SANDBOX,
  type Instance,
} from './labels.js';
import type { SandboxLog } from './log.js';
import { RepeatedFailure } from './repeated-failure.js';

/** Is process `pid` on this host alive? (EPERM means it exists but belongs to someone else.) */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a labelled sandbox is an orphan: past its deadline, or made by a bot process on this
 * host that no longer exists. Containers of live instances elsewhere are left alone until their
 * deadline, so several bots (or a CLI run) can share one engine.
 */
export function isOrphan(
  labels: Record<string, string>,
  self: Instance,
  now: number,
  alive: (pid: number) => boolean = pidAlive,
): boolean {
  const deadline = Number(labels[LABEL_DEADLINE]);
  if (!Number.isFinite(deadline) || deadline < now) return true;
  if (labels[LABEL_INSTANCE] === self.id) return false;
  const [host, pidText] = (labels[LABEL_OWNER] ?? '').split(':');
  if (host !== self.host) return false;
  const pid = Number(pidText);
  // Same host and pid but another instance id: an earlier incarnation of us (e.g. PID 1 in a
  // restarted container).
  return pid === self.pid || !alive(pid);
}

/**
 * Force-removes every orphaned sandbox (created-but-never-started ones too). Returns the count.
 * Each call has a deadline: a wedged engine must not hang start-up or a sweep.
 */
export async function reapOrphans(docker: Docker, self: Instance, now = Date.now()): Promise<number> {
  const containers = await withDeadline(
    docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } }),
    QUICK_CALL_MS,
    'Docker did not list the sandboxes',
  );
  const orphans = containers.filter((info) => isOrphan(info.Labels ?? {}, self, now));
  await Promise.all(
    orphans.map(async (info) => {
      try {
        const removal = docker.getContainer(info.Id).remove({ force: true });
        await withDeadline(removal, REMOVE_CALL_MS, 'Docker did not remove an orphaned sandbox');
      } catch (error) {
        if (!isGoneError(error)) throw error;
      }
    }),
  );
  return orphans.length;
}

/** Sweeps for orphans now and then. A failing sweep is said once, and once when sweeps work again. */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private readonly failures: RepeatedFailure;

  constructor(
    private readonly docker: Docker,
    private readonly self: Instance,
    private readonly log: SandboxLog,
    private readonly explain: (error: unknown) => string,
  ) {
    this.failures = new RepeatedFailure(log, {
      failed: 'could not sweep for orphaned sandboxes',
      recovered: 'sweeping for orphaned sandboxes works again',
    });
  }

  /** One sweep; never rejects. */
  async sweep(): Promise<void> {
    try {
      const reaped = await reapOrphans(this.docker, this.self);
      this.failures.succeeded();
      if (reaped) this.log.warn({ reaped }, 'removed orphaned sandboxes');
    } catch (error) {
      this.failures.failed({ reason: this.explain(error) });
    }
  }

  /** Sweeps every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
