import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SandboxRuntime } from '../../sandbox/limits.js';
import type { RunResult } from '../../sandbox/result.js';
import type { ServiceSandbox } from './health.js';
import type { RunQueue } from './run-queue.js';

/** Buckets for how long a run takes, in seconds: from a pooled print (tens of ms) to a run cut at its timeout. */
export const RUN_SECONDS_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The service's Prometheus metrics, in a registry of its own (several services in one test process
 * don't collide), with prom-client's default process metrics. Labels never carry code or callers.
 */
export class RunnerMetrics {
  readonly registry = new Registry();
  private readonly runs: Counter<'status' | 'python' | 'runtime'>;
  private readonly duration: Histogram;

  constructor(queue: RunQueue, sandbox: ServiceSandbox, private readonly runtime: SandboxRuntime) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.runs = new Counter({
      name: 'sandpiper_runs_total',
      help: 'Runs finished, by status, the Python version that ran (none: nothing ran) and the container runtime',
      labelNames: ['status', 'python', 'runtime'],
      registers,
    });
    this.duration = new Histogram({
      name: 'sandpiper_run_duration_seconds',
      help: 'Time from a run getting its turn to its result, sandbox start-up included',
      buckets: RUN_SECONDS_BUCKETS,
      registers,
    });
    new Gauge({ name: 'sandpiper_queue_length', help: 'Runs waiting for a free slot', registers, collect() { this.set(queue.length); } });
    new Gauge({ name: 'sandpiper_runs_in_progress', help: 'Runs under way', registers, collect() { this.set(queue.active); } });
    new Gauge({ name: 'sandpiper_warm_sandboxes', help: 'Pre-started sandboxes ready to take a run', registers, collect() { this.set(sandbox.stats?.warm ?? 0); } });
    countFrom(registers, 'sandpiper_container_create_failures_total', 'Sandboxes Docker failed to create and start', () => sandbox.stats?.createFailures ?? 0);
    countFrom(registers, 'sandpiper_container_remove_failures_total', 'Sandbox removals Docker failed (each retry counts)', () => sandbox.stats?.removeFailures ?? 0);
  }

  recordRun(result: RunResult, seconds: number): void {
    this.runs.inc({ status: result.status, python: result.python ?? 'none', runtime: this.runtime });
    this.duration.observe(seconds);
  }
}

/** A counter that follows a count kept elsewhere (it only grows), read at each scrape. */
function countFrom(registers: Registry[], name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers,
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}
