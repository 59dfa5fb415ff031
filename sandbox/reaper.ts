import type Docker from 'dockerode';
import { isGoneError } from './docker-errors.js';
import {
  LABEL_DEADLINE,
  LABEL_INSTANCE,
  LABEL_OWNER,
  LABEL_SANDBOX,
  type Instance,
} from './labels.js';

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

/** Force-removes every orphaned sandbox (created-but-never-started ones too). Returns the count. */
export async function reapOrphans(docker: Docker, self: Instance, now = Date.now()): Promise<number> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_SANDBOX}=1`] },
  });
  const orphans = containers.filter((info) => isOrphan(info.Labels ?? {}, self, now));
  await Promise.all(
    orphans.map(async (info) => {
      try {
        await docker.getContainer(info.Id).remove({ force: true });
      } catch (error) {
        if (!isGoneError(error)) throw error;
      }
    }),
  );
  return orphans.length;
}

export interface Reaper {
  stop(): void;
}

/** Reaps now and then every `intervalMs`; failures are reported, never thrown. */
export function startReaper(
  docker: Docker,
  self: Instance,
  intervalMs: number,
  report: (error: unknown, reaped: number) => void,
): Reaper {
  const sweep = () =>
    reapOrphans(docker, self).then(
      (reaped) => report(null, reaped),
      (error: unknown) => report(error, 0),
    );
  void sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
