import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { SandboxRuntime } from '../../sandbox/limits.js';
import {
  BYSTANDER_GAP_MS,
  bystanderLatency,
  dockerCli,
  bareContainersBatch,
  hostPython,
  hostPythonExecutable,
  latencyUnderBombs,
  leakedContainers,
  PLOT_PREIMPORT,
  plotLatency,
  pooledAndEvaluated,
  sandboxLatency,
  runTrivial,
  soak,
  throughputBatch,
  type BombRuns,
  type SoakSample,
} from '../bench/paths.js';
import { onRunners, runnerHttpPath } from '../bench/runners.js';
import { ratesAlternately, slope, type LatencySummary } from '../bench/stats.js';
import { loadConfig, type SandboxConfig } from '../config.js';
import { Evaluator } from '../evaluator.js';
import { RunLimiter } from '../limiter.js';
import { createLogger } from '../log.js';
import { openSandbox, type DockerSandbox } from '../sandbox.js';

const PATHS = ['host_python', 'docker_cli', 'runc_cold', 'runc_pooled', 'runsc_cold', 'runsc_pooled'] as const;
type PathName = (typeof PATHS)[number];

/** One offered Python's image, and its plot path: numpy + matplotlib, one figure returned. */
interface PythonFigures {
  image: string;
  /** The full version the image runs. */
  python: string | null;
  size_mb: number | null;
  plot_cold: LatencySummary;
  /** Pooled members that pre-import numpy and matplotlib.pyplot. */
  plot_pooled: LatencySummary;
  plot_pooled_vs_cold: number;
}

interface BenchReport {
  /** `image`: the default Python's, which every path but the plots runs in. */
  machine: { cpus: number; host_python: string; image: string; pool_size: number };
  latency: Record<PathName, LatencySummary>;
  /** By version ("3.13"), the default first. */
  pythons: Record<string, PythonFigures>;
  evaluator_pooled: LatencySummary;
  /** Evaluator p50 over runc pooled p50: what the limiter and rendering add to a run. */
  evaluator_vs_pooled: number;
  /**
   * Pooled runs straight to a sandbox and through a runner service on it over loopback HTTP
   * (`RemoteSandbox`), alternately; `added_ms_p50` is what the HTTP path adds.
   */
  runner_http: { in_process: LatencySummary; over_http: LatencySummary; added_ms_p50: number };
  /** A bystander's trivial runs, BYSTANDER_GAP_MS apart: alone, then while three users run bombs back to back. */
  /** `bomb_runs`: how each bomb's runs ended, by status (they ran all through `under_bombs`). */
  fairness: { gap_ms: number; idle: LatencySummary; under_bombs: LatencySummary; bomb_runs: BombRuns; p50_ratio: number; p95_ratio: number };
  /**
   * Trivial runs per second through a pooled sandbox, each batch timed until the used containers
   * are removed and the pool is full again. Measured in `throughput_rounds` rounds alternating with
   * the two-runner and ceiling figures, `throughput_runs` runs of each in all.
   */
  throughput_rps: number;
  /**
   * Bare `create → start → wait → remove` per second with the same callers, without Docker's
   * network setup as sandboxes are made: Docker's own ceiling.
   */
  engine_ceiling_rps: number;
  /** Sandbox throughput over the engine's ceiling, from the same rounds. */
  throughput_vs_ceiling: number;
  /** The same bare containers with Docker's network setup, as `docker run --network none` makes them. */
  network_setup_ceiling_rps: number;
  /** Sandbox throughput over that, from the same rounds: what skipping the setup gains, beyond the ceiling. */
  throughput_vs_network_setup_ceiling: number;
  /** Through two runner services on this machine, each with a sandbox and pool of its own, from the same callers. */
  two_runners_throughput_rps: number;
  two_runners_vs_ceiling: number;
  throughput_callers: number;
  throughput_runs: number;
  throughput_rounds: number;
  leaked_containers: number;
  rss_before_mb: number;
  rss_after_mb: number;
  rss_growth_mb: number;
  /** With --soak: the process's RSS over many runs through the evaluator, and its trend. */
  soak?: Soak;
  ratios: {
    runc_pooled_vs_host_python: number;
    docker_cli_vs_runc_pooled: number;
    runsc_pooled_vs_runsc_cold: number;
  };
  targets: Record<string, Target>;
}

interface Soak {
  runs: number;
  failed_runs: number;
  rss_start_mb: number;
  rss_end_mb: number;
  /** RSS's slope over the run count (Theil–Sen, from a tenth of the runs on): flat memory is ~0. */
  rss_mb_per_1000_runs: number;
}

interface Target {
  value: number;
  target: string;
  met: boolean;
}

/**
 * `httpRuns`: runs each way for the runner's HTTP figure, more than `n`: its target is 2 ms between
 * two p50s whose runs spread over tens of ms on a small host, which ten runs can't resolve.
 * `throughputRounds`: a multiple of the four throughput batches, so each takes every place in the
 * rotation equally often (what a batch follows changes what it costs the engine).
 */
const SIZES = {
  full: { n: 30, httpRuns: 60, throughputRuns: 400, throughputRounds: 8, soakRuns: 10_000 },
  quick: { n: 10, httpRuns: 30, throughputRuns: 80, throughputRounds: 4, soakRuns: 1_000 },
};
const CALLERS = 8;
/** RSS samples over a soak: enough points for a trend, few enough forced GCs not to matter. */
const SOAK_SAMPLES = 20;
/** Flat memory: under 5 MB over the 10,000 runs of a soak. */
const SOAK_MB_PER_1000 = 0.5;

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.(); // `npm run bench` exposes gc: measure live memory
  return Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
/** A rate as reported, to 0.01 a second. Ratios take the rates unrounded: 3.9 against 4.1 could be 0.93 or 0.97. */
const perSecond = (rate: number) => Math.round(rate * 100) / 100;
const atMost = (value: number, limit: number): Target => ({ value, target: `≤ ${limit}`, met: value <= limit });
const atLeast = (value: number, limit: number): Target => ({ value, target: `≥ ${limit}`, met: value >= limit });

/**
 * `sandpiper bench [--json] [--quick] [--soak]` (`npm run bench`): every latency and throughput
 * figure the README states, measured in ONE run on this machine, so the ratios between them are
 * meaningful.
 */
export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      soak: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const size = values.quick ? SIZES.quick : SIZES.full;
  const config = loadConfig();
  const log = createLogger('silent');
  const poolSize = config.sandbox.poolSize || 4;
  const progress = (line: string) => values.json || process.stderr.write(`… ${line}\n`);
  const sandboxes: DockerSandbox[] = [];
  const defaultPython = config.sandbox.pythons[0]!;
  /** A sandbox offering one Python (the default unless said), with a pool of `pool` members (none: 0). */
  const sandboxFor = async (runtime: SandboxRuntime, pool: number, preimport: string[] = [], python = defaultPython) => {
    // The bench only measures: it neither builds the images nor sweeps the engine for orphans.
    const settings = { ...config.sandbox, pythons: [python], runtime, poolSize: pool, preimport };
    const sandbox = openSandbox(settings, log, { prepare: false });
    sandboxes.push(sandbox);
    const readiness = await sandbox.ready;
    if (!readiness.ok) throw new Error(readiness.reason);
    return sandbox;
  };

  // One benchmark "user" sends many requests: lift the per-user rate, keep every other limit and the code path.
  const evaluatorOn = (sandbox: DockerSandbox) =>
    new Evaluator({
      sandbox,
      limiter: new RunLimiter({ ...config.limiter, userRunsPerMinute: 1_000_000 }),
      limits: config.sandbox.limits,
      maxCodeBytes: config.sandbox.maxCodeBytes,
      pythons: config.sandbox.pythons,
      log,
    });

  const coldLatency = async (runtime: SandboxRuntime) => {
    const sandbox = await sandboxFor(runtime, 0);
    const summary = await sandboxLatency(sandbox, size.n);
    await sandbox.close();
    return summary;
  };

  const python = await hostPythonExecutable();
  const latency = {} as Record<PathName, LatencySummary>;
  let rssBefore = 0;
  try {
    // Warm up Docker's caches and the process's code paths before anything is timed.
    const warm = await sandboxFor('runc', 0);
    for (let i = 0; i < 3; i++) await warm.run({ code: 'print(1)' });
    await warm.close();
    rssBefore = rssMb();

    progress(`host python3 (${python})`);
    latency.host_python = await hostPython(python, size.n);
    progress('docker run --rm (CLI)');
    latency.docker_cli = await dockerCli(defaultPython.image, size.n);
    progress('runc cold');
    latency.runc_cold = await coldLatency('runc');
    progress('runc pooled, straight and through the evaluator (limiter + sandbox + render), alternately');
    const evalSandbox = await sandboxFor('runc', poolSize);
    const evaluator = evaluatorOn(evalSandbox);
    const { pooled, evaluated: evaluatorPooled } = await pooledAndEvaluated(evalSandbox, evaluator, size.n);
    latency.runc_pooled = pooled;
    progress('runc pooled, straight and through a runner service over HTTP (127.0.0.1), alternately');
    const runnerHttp = await runnerHttpPath(await sandboxFor('runc', poolSize), config, log, size.httpRuns);
    // The bombs go after the small differences above: the engine is still busy for a while after them.
    progress(`fairness: a bystander every ${BYSTANDER_GAP_MS / 1000} s, alone, then while 3 users run CPU, memory and fork bombs back to back`);
    await evalSandbox.whenWarm();
    const idle = await bystanderLatency(evaluator, size.n);
    const { latency: underBombs, bombRuns } = await latencyUnderBombs(evaluator, size.n);
    await evalSandbox.close();
    progress('runsc cold');
    latency.runsc_cold = await coldLatency('runsc');
    progress('runsc pooled');
    const runscPooled = await sandboxFor('runsc', poolSize);
    latency.runsc_pooled = await sandboxLatency(runscPooled, size.n);
    await runscPooled.close();

    const pythons: Record<string, PythonFigures> = {};
    for (const offered of config.sandbox.pythons) {
      const named = offered.version ? `Python ${offered.version}` : offered.image;
      progress(`plot (numpy + matplotlib, one PNG returned), ${named}, runc cold`);
      const plotCold = await sandboxFor('runc', 0, [], offered);
      const cold = await plotLatency(plotCold, size.n);
      await plotCold.close();
      progress(`plot, ${named}, runc pooled, the members pre-importing ${PLOT_PREIMPORT.join(' and ')}`);
      const plotPooled = await sandboxFor('runc', poolSize, PLOT_PREIMPORT, offered);
      const pooled = await plotLatency(plotPooled, size.n);
      const engine = await plotPooled.inspect();
      await plotPooled.close();
      const status = engine.reachable ? engine.images[0]?.status : undefined;
      pythons[offered.version ?? offered.image] = {
        image: offered.image,
        python: status?.python ?? null,
        size_mb: status?.sizeMb ?? null,
        plot_cold: cold,
        plot_pooled: pooled,
        plot_pooled_vs_cold: ratio(pooled.p50_ms, cold.p50_ms),
      };
    }

    // Two runners sharing one host share its capacity: each takes half the runs at once and keeps
    // half the pool, as an operator splitting one machine would set them.
    const { throughputRuns, throughputRounds: rounds } = size;
    progress(
      `throughput: ${CALLERS} callers, runc pooled: in process, through two runner services on this machine (each with half ` +
        `the host's concurrency and pool), and Docker's own ceiling (bare containers, without and with Docker's network setup); ` +
        `${throughputRuns} runs each, in ${rounds} alternating rounds`,
    );
    const perBatch = throughputRuns / rounds;
    const busy = await sandboxFor('runc', poolSize);
    const half = (count: number) => Math.max(1, Math.ceil(count / 2));
    const runnerSandboxes = [await sandboxFor('runc', half(poolSize)), await sandboxFor('runc', half(poolSize))];
    const halfLimits = { ...config, limiter: { ...config.limiter, concurrency: half(config.limiter.concurrency) } };
    await Promise.all([busy, ...runnerSandboxes].map((sandbox) => sandbox.whenWarm()));
    const rates = await onRunners(halfLimits, log, runnerSandboxes, async (bot) => {
      await runTrivial(bot); // open the bot's connections (untimed), then settle what that run left
      await Promise.all(runnerSandboxes.map((sandbox) => sandbox.whenSettled()));
      return ratesAlternately(rounds, {
        inProcess: () => throughputBatch(busy, [busy], CALLERS, perBatch),
        twoRunners: () => throughputBatch(bot, runnerSandboxes, CALLERS, perBatch),
        ceiling: () => bareContainersBatch(defaultPython.image, CALLERS, perBatch, { networkSetup: false }),
        networkSetupCeiling: () => bareContainersBatch(defaultPython.image, CALLERS, perBatch, { networkSetup: true }),
      });
    });
    await busy.close();
    const { inProcess: rps, twoRunners: twoRunnersRps, ceiling, networkSetupCeiling } = rates;
    const rssAfter = rssMb();

    let soaked: Soak | undefined;
    if (values.soak) {
      progress(`soak: ${size.soakRuns} runs through the evaluator, ${CALLERS} callers, runc pooled`);
      const soakSandbox = await sandboxFor('runc', poolSize);
      const every = size.soakRuns / SOAK_SAMPLES;
      const { samples, failed } = await soak(evaluatorOn(soakSandbox), { total: size.soakRuns, callers: CALLERS, every, rssMb });
      await soakSandbox.close();
      soaked = soakFigures(samples, failed);
    }

    const leaked = await leakedContainers();
    const fairness = {
      gap_ms: BYSTANDER_GAP_MS,
      idle,
      under_bombs: underBombs,
      bomb_runs: bombRuns,
      p50_ratio: ratio(underBombs.p50_ms, idle.p50_ms),
      p95_ratio: ratio(underBombs.p95_ms, idle.p95_ms),
    };
    const report = buildReport({
      python,
      config: config.sandbox,
      poolSize,
      latency,
      pythons,
      evaluatorPooled,
      runnerHttp,
      fairness,
      rps,
      twoRunnersRps,
      ceiling,
      networkSetupCeiling,
      size,
      leaked,
      rssBefore,
      rssAfter,
      soak: soaked,
    });
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : table(report));
    return 0;
  } finally {
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  }
}

/** The soak's trend, from the samples after the first tenth of the runs (start-up allocations settle there). */
function soakFigures(samples: SoakSample[], failed: number): Soak {
  const runs = samples.at(-1)!.runs;
  const settled = samples.filter((sample) => sample.runs >= runs / 10);
  return {
    runs,
    failed_runs: failed,
    rss_start_mb: samples[0]!.rssMb,
    rss_end_mb: samples.at(-1)!.rssMb,
    rss_mb_per_1000_runs: Math.round(slope(settled.map((sample) => [sample.runs, sample.rssMb])) * 1000 * 100) / 100,
  };
}

function buildReport(m: {
  python: string;
  config: SandboxConfig;
  poolSize: number;
  latency: Record<PathName, LatencySummary>;
  pythons: Record<string, PythonFigures>;
  evaluatorPooled: LatencySummary;
  runnerHttp: { in_process: LatencySummary; over_http: LatencySummary };
  fairness: BenchReport['fairness'];
  rps: number;
  twoRunnersRps: number;
  ceiling: number;
  networkSetupCeiling: number;
  size: { throughputRuns: number; throughputRounds: number };
  leaked: number;
  rssBefore: number;
  rssAfter: number;
  soak: Soak | undefined;
}): BenchReport {
  const { latency } = m;
  const ratios = {
    runc_pooled_vs_host_python: ratio(latency.runc_pooled.p50_ms, latency.host_python.p50_ms),
    docker_cli_vs_runc_pooled: ratio(latency.docker_cli.p50_ms, latency.runc_pooled.p50_ms),
    runsc_pooled_vs_runsc_cold: ratio(latency.runsc_pooled.p50_ms, latency.runsc_cold.p50_ms),
  };
  const evaluatorVsPooled = ratio(m.evaluatorPooled.p50_ms, latency.runc_pooled.p50_ms);
  const throughputVsCeiling = ratio(m.rps, m.ceiling);
  const httpAddedMs = Math.round((m.runnerHttp.over_http.p50_ms - m.runnerHttp.in_process.p50_ms) * 10) / 10;
  const growth = Math.round((m.rssAfter - m.rssBefore) * 10) / 10;
  return {
    machine: { cpus: availableParallelism(), host_python: m.python, image: m.config.pythons[0]!.image, pool_size: m.poolSize },
    latency,
    pythons: m.pythons,
    evaluator_pooled: m.evaluatorPooled,
    evaluator_vs_pooled: evaluatorVsPooled,
    runner_http: { ...m.runnerHttp, added_ms_p50: httpAddedMs },
    fairness: m.fairness,
    throughput_rps: perSecond(m.rps),
    engine_ceiling_rps: perSecond(m.ceiling),
    throughput_vs_ceiling: throughputVsCeiling,
    network_setup_ceiling_rps: perSecond(m.networkSetupCeiling),
    throughput_vs_network_setup_ceiling: ratio(m.rps, m.networkSetupCeiling),
    two_runners_throughput_rps: perSecond(m.twoRunnersRps),
    two_runners_vs_ceiling: ratio(m.twoRunnersRps, m.ceiling),
    throughput_callers: CALLERS,
    throughput_runs: m.size.throughputRuns,
    throughput_rounds: m.size.throughputRounds,
    leaked_containers: m.leaked,
    rss_before_mb: m.rssBefore,
    rss_after_mb: m.rssAfter,
    rss_growth_mb: growth,
    ...(m.soak && { soak: m.soak }),
    ratios,
    targets: {
      'runc pooled p50 / host python3 p50': atMost(ratios.runc_pooled_vs_host_python, 2.5),
      'docker run --rm p50 / runc pooled p50': atLeast(ratios.docker_cli_vs_runc_pooled, 6),
      'runsc pooled p50 / runsc cold p50': atMost(ratios.runsc_pooled_vs_runsc_cold, 0.3),
      ...Object.fromEntries(
        Object.entries(m.pythons).map(([version, figures]) => [
          `plot pooled (pre-imported) p50 / cold p50, ${version}`,
          atMost(figures.plot_pooled_vs_cold, 0.4),
        ]),
      ),
      'evaluator p50 / runc pooled p50': atMost(evaluatorVsPooled, 1.2),
      'runner HTTP p50 − in-process p50, ms': atMost(httpAddedMs, 2),
      'bystander p95, bombs / idle': atMost(m.fairness.p95_ratio, 3),
      'throughput / engine ceiling': atLeast(throughputVsCeiling, 0.95),
      'containers left': { value: m.leaked, target: '= 0', met: m.leaked === 0 },
      'RSS growth, MB': { value: growth, target: '< 30', met: growth < 30 },
      ...(m.soak && { 'soak RSS, MB per 1,000 runs': atMost(m.soak.rss_mb_per_1000_runs, SOAK_MB_PER_1000) }),
    },
  };
}

function table(report: BenchReport): string {
  const pad = (text: string | number, width: number) => String(text).padStart(width);
  const lines = [`${'path'.padEnd(26)}${pad('n', 5)}${pad('p50 ms', 10)}${pad('p95 ms', 10)}${pad('max ms', 10)}`];
  const row = (name: string, s: LatencySummary) =>
    lines.push(`${name.padEnd(26)}${pad(s.n, 5)}${pad(s.p50_ms, 10)}${pad(s.p95_ms, 10)}${pad(s.max_ms, 10)}`);
  for (const name of PATHS) row(name, report.latency[name]);
  for (const [version, figures] of Object.entries(report.pythons)) {
    row(`plot ${version} cold`, figures.plot_cold);
    row(`plot ${version} pooled`, figures.plot_pooled);
  }
  row('evaluator (runc pooled)', report.evaluator_pooled);
  row('pooled, in process', report.runner_http.in_process);
  row('  … through a runner', report.runner_http.over_http);
  row(`bystander, ${report.fairness.gap_ms / 1000} s apart`, report.fairness.idle);
  row('  … during 3 bombs', report.fairness.under_bombs);
  const bombs = Object.entries(report.fairness.bomb_runs).map(([name, ended]) =>
    `${name}: ${Object.entries(ended).map(([status, count]) => `${count} ${status}`).join(', ') || 'none'}`,
  );
  lines.push(`  bombs run meanwhile, by how they ended: ${bombs.join('; ')}`);
  lines.push('', `host python3: ${report.machine.host_python}; pool size ${report.machine.pool_size}; image ${report.machine.image}`);
  for (const [version, { image, python, size_mb }] of Object.entries(report.pythons)) {
    lines.push(`Python ${version}: ${image}, Python ${python ?? '?'}, ${size_mb ?? '?'} MB`);
  }
  lines.push(
    `throughput ${report.throughput_rps} runs/s in process, ${report.two_runners_throughput_rps} through two runner services ` +
      `(${report.throughput_vs_ceiling} and ${report.two_runners_vs_ceiling} of Docker's ceiling for bare containers, ${report.engine_ceiling_rps}/s; ` +
      `${report.throughput_vs_network_setup_ceiling} of bare containers with Docker's network setup, ${report.network_setup_ceiling_rps}/s)`,
  );
  lines.push(`RSS ${report.rss_before_mb} → ${report.rss_after_mb} MB`);
  if (report.soak) {
    const { runs, failed_runs, rss_start_mb, rss_end_mb } = report.soak;
    lines.push(`soak: ${runs} runs (${failed_runs} failed), RSS ${rss_start_mb} → ${rss_end_mb} MB`);
  }
  lines.push('', 'targets (ratios from this one run):');
  for (const [name, t] of Object.entries(report.targets)) {
    lines.push(`  ${t.met ? '✔' : '✖'} ${name.padEnd(40)} ${pad(t.value, 8)}  (target ${t.target})`);
  }
  return `${lines.join('\n')}\n`;
}
