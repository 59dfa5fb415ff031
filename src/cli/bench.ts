import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { SandboxRuntime } from '../../sandbox/limits.js';
import {
  dockerCli,
  engineCeiling,
  evaluatorLatency,
  hostPython,
  hostPythonExecutable,
  latencyUnderBombs,
  leakedContainers,
  sandboxLatency,
  throughput,
} from '../bench/paths.js';
import type { LatencySummary } from '../bench/stats.js';
import { loadConfig, type SandboxConfig } from '../config.js';
import { Evaluator } from '../evaluator.js';
import { RunLimiter } from '../limiter.js';
import { createLogger } from '../log.js';
import { openSandbox, type DockerSandbox } from '../sandbox.js';

const PATHS = ['host_python', 'docker_cli', 'runc_cold', 'runc_pooled', 'runsc_cold', 'runsc_pooled'] as const;
type PathName = (typeof PATHS)[number];

interface BenchReport {
  machine: { cpus: number; host_python: string; image: string; pool_size: number };
  latency: Record<PathName, LatencySummary>;
  evaluator_pooled: LatencySummary;
  /** A bystander's trivial runs while three users run bombs back to back, and its idle baseline. */
  fairness: { idle: LatencySummary; under_bombs: LatencySummary; p50_ratio: number };
  throughput_rps: number;
  /** Bare `create → start → wait → remove` per second with the same callers: Docker's own ceiling. */
  engine_ceiling_rps: number;
  throughput_callers: number;
  throughput_runs: number;
  leaked_containers: number;
  rss_before_mb: number;
  rss_after_mb: number;
  rss_growth_mb: number;
  ratios: {
    runc_pooled_vs_host_python: number;
    docker_cli_vs_runc_pooled: number;
    runsc_pooled_vs_runsc_cold: number;
  };
  targets: Record<string, { value: number; target: string; met: boolean }>;
}

const SIZES = {
  full: { n: 30, throughputRuns: 300 },
  quick: { n: 10, throughputRuns: 80 },
};
const CALLERS = 8;

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.(); // `npm run bench` exposes gc: measure live memory
  return Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/**
 * `sandpiper bench [--json] [--quick]` (`npm run bench`): every latency and throughput figure the
 * README states, measured in ONE run on this machine, so the ratios between them are meaningful.
 */
export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } },
    strict: true,
  });
  const size = values.quick ? SIZES.quick : SIZES.full;
  const config = loadConfig();
  const log = createLogger('silent');
  const poolSize = config.sandbox.poolSize || 4;
  const progress = (line: string) => values.json || process.stderr.write(`… ${line}\n`);
  const sandboxes: DockerSandbox[] = [];
  const sandboxFor = async (runtime: SandboxRuntime, pooled: boolean) => {
    // The bench only measures: it neither builds the image nor sweeps the engine for orphans.
    const sandbox = openSandbox({ ...config.sandbox, runtime, poolSize: pooled ? poolSize : 0 }, log, { prepare: false });
    sandboxes.push(sandbox);
    const readiness = await sandbox.ready;
    if (!readiness.ok) throw new Error(readiness.reason);
    return sandbox;
  };

  const python = await hostPythonExecutable();
  const latency = {} as Record<PathName, LatencySummary>;
  let rssBefore = 0;
  try {
    // Warm up Docker's caches and the process's code paths before anything is timed.
    const warm = await sandboxFor('runc', false);
    for (let i = 0; i < 3; i++) await warm.run({ code: 'print(1)' });
    await warm.close();
    rssBefore = rssMb();

    progress(`host python3 (${python})`);
    latency.host_python = await hostPython(python, size.n);
    progress('docker run --rm (CLI)');
    latency.docker_cli = await dockerCli(config.sandbox.image, size.n);
    for (const runtime of ['runc', 'runsc'] as const) {
      for (const pooled of [false, true]) {
        progress(`${runtime} ${pooled ? 'pooled' : 'cold'}`);
        const sandbox = await sandboxFor(runtime, pooled);
        latency[`${runtime}_${pooled ? 'pooled' : 'cold'}`] = await sandboxLatency(sandbox, size.n);
        await sandbox.close();
      }
    }

    progress('evaluator (limiter + sandbox + render), runc pooled');
    const evalSandbox = await sandboxFor('runc', true);
    const evaluator = new Evaluator({
      sandbox: evalSandbox,
      // One benchmark "user" sends every request: lift the per-user limits, keep the code path.
      limiter: new RunLimiter({ ...config.limiter, userRunsPerMinute: 1_000_000 }),
      limits: config.sandbox.limits,
      maxCodeBytes: config.sandbox.maxCodeBytes,
      log,
    });
    const evaluatorPooled = await evaluatorLatency(evaluator, evalSandbox, size.n);
    progress('fairness: a bystander while 3 users run CPU, memory and fork bombs back to back');
    const underBombs = await latencyUnderBombs(evaluator, size.n);
    await evalSandbox.close();

    progress(`throughput: ${CALLERS} callers, ${size.throughputRuns} runs, runc pooled`);
    const busy = await sandboxFor('runc', true);
    const rps = Math.round((await throughput(busy, CALLERS, size.throughputRuns)) * 10) / 10;
    await busy.close();
    progress(`Docker's own ceiling: bare containers, ${CALLERS} callers`);
    const ceiling = Math.round((await engineCeiling(config.sandbox.image, CALLERS, size.throughputRuns / 2)) * 10) / 10;

    const leaked = await leakedContainers();
    const rssAfter = rssMb();
    const fairness = {
      idle: evaluatorPooled,
      under_bombs: underBombs,
      p50_ratio: ratio(underBombs.p50_ms, evaluatorPooled.p50_ms),
    };
    const report = buildReport({ python, config: config.sandbox, poolSize, latency, evaluatorPooled, fairness, rps, ceiling, size, leaked, rssBefore, rssAfter });
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : table(report));
    return 0;
  } finally {
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  }
}

function buildReport(m: {
  python: string;
  config: SandboxConfig;
  poolSize: number;
  latency: Record<PathName, LatencySummary>;
  evaluatorPooled: LatencySummary;
  fairness: BenchReport['fairness'];
  rps: number;
  ceiling: number;
  size: { throughputRuns: number };
  leaked: number;
  rssBefore: number;
  rssAfter: number;
}): BenchReport {
  const { latency } = m;
  const ratios = {
    runc_pooled_vs_host_python: ratio(latency.runc_pooled.p50_ms, latency.host_python.p50_ms),
    docker_cli_vs_runc_pooled: ratio(latency.docker_cli.p50_ms, latency.runc_pooled.p50_ms),
    runsc_pooled_vs_runsc_cold: ratio(latency.runsc_pooled.p50_ms, latency.runsc_cold.p50_ms),
  };
  const growth = Math.round((m.rssAfter - m.rssBefore) * 10) / 10;
  return {
    machine: { cpus: availableParallelism(), host_python: m.python, image: m.config.image, pool_size: m.poolSize },
    latency,
    evaluator_pooled: m.evaluatorPooled,
    fairness: m.fairness,
    throughput_rps: m.rps,
    engine_ceiling_rps: m.ceiling,
    throughput_callers: CALLERS,
    throughput_runs: m.size.throughputRuns,
    leaked_containers: m.leaked,
    rss_before_mb: m.rssBefore,
    rss_after_mb: m.rssAfter,
    rss_growth_mb: growth,
    ratios,
    targets: {
      'runc pooled p50 / host python3 p50': { value: ratios.runc_pooled_vs_host_python, target: '≤ 2.5', met: ratios.runc_pooled_vs_host_python <= 2.5 },
      'docker run --rm p50 / runc pooled p50': { value: ratios.docker_cli_vs_runc_pooled, target: '≥ 6', met: ratios.docker_cli_vs_runc_pooled >= 6 },
      'runsc pooled p50 / runsc cold p50': { value: ratios.runsc_pooled_vs_runsc_cold, target: '≤ 0.3', met: ratios.runsc_pooled_vs_runsc_cold <= 0.3 },
      'throughput, runs/s (runc, 8 callers)': { value: m.rps, target: '≥ 15', met: m.rps >= 15 },
      'containers left': { value: m.leaked, target: '= 0', met: m.leaked === 0 },
      'RSS growth, MB': { value: growth, target: '< 30', met: growth < 30 },
    },
  };
}

function table(report: BenchReport): string {
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  const lines = [`${'path'.padEnd(22)}${pad('n', 5)}${pad('p50 ms', 10)}${pad('p95 ms', 10)}${pad('max ms', 10)}`];
  const row = (name: string, s: LatencySummary) =>
    lines.push(`${name.padEnd(22)}${pad(s.n, 5)}${pad(s.p50_ms, 10)}${pad(s.p95_ms, 10)}${pad(s.max_ms, 10)}`);
  for (const name of PATHS) row(name, report.latency[name]);
  row('evaluator (runc pooled)', report.evaluator_pooled);
  row('  … during 3 bombs', report.fairness.under_bombs);
  lines.push('', `host python3: ${report.machine.host_python}; pool size ${report.machine.pool_size}; image ${report.machine.image}`);
  lines.push(`throughput ${report.throughput_rps} runs/s; Docker's ceiling for bare containers ${report.engine_ceiling_rps}/s`);
  lines.push(`RSS ${report.rss_before_mb} → ${report.rss_after_mb} MB`, '', 'targets (ratios from this one run):');
  for (const [name, t] of Object.entries(report.targets)) {
    lines.push(`  ${t.met ? '✔' : '✖'} ${name.padEnd(40)} ${pad(t.value, 8)}  (target ${t.target})`);
  }
  return `${lines.join('\n')}\n`;
}
