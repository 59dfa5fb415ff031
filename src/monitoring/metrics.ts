import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunningAdapter } from '../adapter.js';
import type { Answer, AnswerObserver } from '../evaluator.js';
import type { RunLimiter } from '../limiter.js';
import type { RunnerState } from '../service/remote-sandbox.js';
import { RUN_SECONDS_BUCKETS } from '../service/metrics.js';

export interface BotMetricsSources {
  limiter: RunLimiter;
  /** The adapters started so far (read at each scrape, so it may still be filling). */
  adapters: readonly RunningAdapter[];
  /** The runners, when the bot runs on them. */
  runners: (() => RunnerState[]) | undefined;
}

/**
 * The bot's Prometheus metrics, in a registry of its own (several bots in one test process don't
 * collide), with prom-client's default process metrics. Named sandpiper_bot_*: the runner service's
 * sandpiper_* count what runners do, these what chat users got. Label values are bounded: platform
 * names, run statuses, refusal reasons, runner URLs from the configuration; never users, channels
 * or code.
 */
export class BotMetrics implements AnswerObserver {
  readonly registry = new Registry();
  private readonly answers: Counter<'platform' | 'outcome' | 'reason'>;
  private readonly duration: Histogram<'platform'>;

  constructor({ limiter, adapters, runners }: BotMetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.answers = new Counter({
      name: 'sandpiper_bot_requests_total',
      help: "Requests answered, by platform and outcome: the run's status, refused (with the reason) or failed (Sandpiper's own error)",
      labelNames: ['platform', 'outcome', 'reason'],
      registers,
    });
    this.duration = new Histogram({
      name: 'sandpiper_bot_answer_duration_seconds',
      help: 'For runs: from the request reaching the evaluator to its reply being ready (queue, start-up and run)',
      labelNames: ['platform'],
      buckets: RUN_SECONDS_BUCKETS,
      registers,
    });
    new Gauge({ name: 'sandpiper_bot_runs_waiting', help: 'Runs admitted and waiting for a sandbox', registers, collect() { this.set(limiter.load.waiting); } });
    new Gauge({ name: 'sandpiper_bot_runs_in_progress', help: 'Runs under way', registers, collect() { this.set(limiter.load.running); } });
    new Gauge({
      name: 'sandpiper_bot_platform_connected',
      help: 'Whether the adapter is connected to its platform (1) or not (0)',
      labelNames: ['platform'],
      registers,
      collect() {
        for (const adapter of adapters) this.set({ platform: adapter.name }, adapter.connection().up ? 1 : 0);
      },
    });
    if (!runners) return;
    new Gauge({
      name: 'sandpiper_bot_runner_up',
      help: 'Whether the bot takes the runner to be up (1) or leaves it out after a failure (0)',
      labelNames: ['runner'],
      registers,
      collect() {
        for (const { url, up } of runners()) this.set({ runner: url }, up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'sandpiper_bot_runner_outstanding_runs',
      help: 'Runs the bot has sent to the runner and not had answered yet',
      labelNames: ['runner'],
      registers,
      collect() {
        for (const { url, outstanding } of runners()) this.set({ runner: url }, outstanding);
      },
    });
  }

  answered(answer: Answer): void {
    const { platform } = answer;
    if (answer.outcome === 'refused') {
      this.answers.inc({ platform, outcome: 'refused', reason: answer.reason });
      return;
    }
    this.answers.inc({ platform, outcome: answer.outcome });
    if ('seconds' in answer) this.duration.observe({ platform }, answer.seconds);
  }
}
