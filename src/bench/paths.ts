import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { currentInstance, LABEL_OWNER, sandboxLabels } from '../../sandbox/labels.js';
import type { Evaluator } from '../evaluator.js';
import { CONSOLE } from '../platforms.js';
import type { DockerSandbox, Sandbox } from '../sandbox.js';
import { timeAlternately, timeSequential, type LatencySummary } from './stats.js';

/** The snippet every latency is measured with: Python start-up and a trivial computation. */
export const TRIVIAL = 'print(sum(range(1000)))';

const run = promisify(execFile);

/**
 * The real interpreter behind `python3`: a version-manager shim (pyenv) would add its own start-up
 * to the baseline, which is meant to measure Python.
 */
export async function hostPythonExecutable(): Promise<string> {
  const { stdout } = await run('python3', ['-c', 'import sys; print(sys.executable)']);
  return stdout.trim();
}

export function hostPython(executable: string, n: number): Promise<LatencySummary> {
  return timeSequential(n, async () => {
    await run(executable, ['-c', TRIVIAL]);
  });
}

/** `docker run --rm` through the CLI: what a naive bot would do. */
export function dockerCli(image: string, n: number): Promise<LatencySummary> {
  return timeSequential(n, async () => {
    await run('docker', ['run', '--rm', '--network', 'none', image, 'python3', '-c', TRIVIAL]);
  });
}

export async function runTrivial(sandbox: Sandbox): Promise<void> {
  const result = await sandbox.run({ code: TRIVIAL });
  if (result.status !== 'ok') throw new Error(`benchmark run failed: ${result.status} ${result.reason ?? result.output}`);
}

/** One figure with numpy and matplotlib, shown: the run returns it as figure-1.png. */
export const PLOT = 'import numpy as np\nimport matplotlib.pyplot as plt\nplt.plot(np.arange(10) ** 2)\nplt.show()';
/** What pre-started sandboxes import for the plot path (SANDBOX_POOL_PREIMPORT). */
export const PLOT_PREIMPORT = ['numpy', 'matplotlib.pyplot'];

async function runPlot(sandbox: DockerSandbox): Promise<void> {
  const result = await sandbox.run({ code: PLOT });
  if (result.status !== 'ok' || result.files[0]?.name !== 'figure-1.png') {
    throw new Error(`benchmark plot failed: ${result.status} ${result.reason ?? result.output}`);
  }
}

/** A plot, request to PNG returned; with a pool, each request finds it full (not timed). */
export function plotLatency(sandbox: DockerSandbox, n: number): Promise<LatencySummary> {
  return timeSequential(
    n,
    () => runPlot(sandbox),
    () => sandbox.whenWarm(),
  );
}

/** Request to result through the sandbox; with a pool, each request finds it full (not timed). */
export function sandboxLatency(sandbox: DockerSandbox, n: number): Promise<LatencySummary> {
  return timeSequential(
    n,
    () => runTrivial(sandbox),
    () => sandbox.whenWarm(),
  );
}

function evaluate(evaluator: Evaluator, user: string, code: string) {
  return evaluator.evaluate(
    { id: randomUUID(), platform: 'console', user, channel: 'bench', trigger: 'console', code },
    CONSOLE,
  );
}

/**
 * Pooled runs straight to the sandbox and through the evaluator (limiter + sandbox + render, as a
 * chat request goes), alternately on one sandbox whose pool is full before each: both see the same
 * machine, so the ratio between them is what the evaluator adds, not a change in load.
 */
export function pooledAndEvaluated(
  sandbox: DockerSandbox,
  evaluator: Evaluator,
  n: number,
): Promise<{ pooled: LatencySummary; evaluated: LatencySummary }> {
  return timeAlternately(
    n,
    {
      pooled: () => runTrivial(sandbox),
      evaluated: async () => {
        const reply = await evaluate(evaluator, 'bench', TRIVIAL);
        if (reply.status !== 'ok') throw new Error(`benchmark run failed: ${reply.text}`);
      },
    },
    () => sandbox.whenWarm(),
  );
}

/** Hostile snippets, one per abuser, each using up a different quota until it is killed. */
export const BOMBS = {
  cpu: 'while True:\n    pass', // until the wall clock
  memory: 'x = []\nwhile True:\n    x.append(bytearray(1 << 20))', // until the OOM killer
  fork: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass', // processes
};
export type BombName = keyof typeof BOMBS;

/** How each bomb's runs ended, by status: evidence that the bombs really ran during the figure. */
export type BombRuns = Record<BombName, Record<string, number>>;

/**
 * How long the bystander waits after a reply before its next request: a brisk chat user. Back to
 * back, it would outrun the pool's refill on its own, bombs or not, and measure throughput instead.
 */
export const BYSTANDER_GAP_MS = 1_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A bystander's trivial runs through the evaluator, one every BYSTANDER_GAP_MS after the last reply. */
export function bystanderLatency(evaluator: Evaluator, n: number): Promise<LatencySummary> {
  return timeSequential(
    n,
    async () => {
      const reply = await evaluate(evaluator, 'bystander', TRIVIAL);
      if (reply.status !== 'ok') throw new Error(`a bystander's run failed: ${reply.text}`);
    },
    () => pause(BYSTANDER_GAP_MS),
  );
}

/**
 * Fairness: the bystander's latency while other users run bombs back to back (through the
 * evaluator, so the limiter is part of it), and how the bombs' runs ended. The bombs stop after.
 */
export async function latencyUnderBombs(evaluator: Evaluator, n: number): Promise<{ latency: LatencySummary; bombRuns: BombRuns }> {
  let bombing = true;
  const bombRuns = Object.fromEntries(Object.keys(BOMBS).map((name) => [name, {}])) as BombRuns;
  const abusers = Object.entries(BOMBS).map(async ([name, bomb]) => {
    const ended = bombRuns[name as BombName];
    while (bombing) {
      const { status } = await evaluate(evaluator, `abuser-${name}`, bomb);
      const outcome = status ?? 'refused'; // a notice: nothing ran
      ended[outcome] = (ended[outcome] ?? 0) + 1;
    }
  });
  await pause(500); // let the bombs get going
  try {
    return { latency: await bystanderLatency(evaluator, n), bombRuns };
  } finally {
    bombing = false;
    await Promise.all(abusers);
  }
}

/** `total` calls of `once` from `callers` concurrent callers (numbered), each calling again as soon as one ends. */
async function concurrently(callers: number, total: number, once: (caller: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      while (next++ < total) await once(caller);
    }),
  );
}

/**
 * One batch of the throughput figure (stats.ts ratesAlternately): `runs` trivial runs through `via`
 * from `callers` callers, then the wait until `engines`, the sandboxes that did the work, have
 * removed every used container and refilled their pools. A batch starts with full pools, so it
 * also pays for leaving them full: it counts a container's whole life for each run.
 */
export async function throughputBatch(via: Sandbox, engines: DockerSandbox[], callers: number, runs: number): Promise<number> {
  await concurrently(callers, runs, () => runTrivial(via));
  await Promise.all(engines.map((engine) => engine.whenSettled()));
  return runs;
}

/**
 * One batch of the engine's own ceiling: bare containers (no hardening, no attach) created,
 * started, waited for and removed, from `callers` callers, to put the sandbox throughput in
 * context. This measures Docker itself, so it talks to Docker directly rather than through the
 * sandbox. `networkSetup`: with Docker's network setup, as `docker run --network none` makes a
 * container; without it, as sandboxes are made (NetworkDisabled, sandbox/spec.ts).
 */
export async function bareContainersBatch(image: string, callers: number, runs: number, { networkSetup }: { networkSetup: boolean }): Promise<number> {
  const docker = new Docker();
  // Labelled like sandboxes, so a crash mid-bench leaves nothing the reaper (and leak count) can't see.
  const Labels = sandboxLabels(currentInstance(), Date.now() + 10 * 60_000);
  const spec = { Image: image, Cmd: ['python3', '-c', TRIVIAL], Labels, NetworkDisabled: !networkSetup, HostConfig: { NetworkMode: 'none' } };
  await concurrently(callers, runs, async () => {
    const container = await docker.createContainer(spec);
    await container.start();
    await container.wait();
    await container.remove({ force: true });
  });
  return runs;
}

/** Labelled sandbox containers of this process still on the engine (after every sandbox closed). */
export async function leakedContainers(): Promise<number> {
  const owner = `${LABEL_OWNER}=${hostname()}:${process.pid}`;
  return (await new Docker().listContainers({ all: true, filters: { label: [owner] } })).length;
}

/** The process's memory after a run count, during a soak. */
export interface SoakSample {
  runs: number;
  rssMb: number;
}

/**
 * A soak: `total` trivial runs through the evaluator, `callers` users back to back, as a busy bot
 * serves them. `rssMb` is sampled every `every` runs. Failed runs are counted, not fatal: a soak
 * measures memory, and a Docker hiccup in ten thousand runs shouldn't void it.
 */
export async function soak(
  evaluator: Evaluator,
  { total, callers, every, rssMb }: { total: number; callers: number; every: number; rssMb: () => number },
): Promise<{ samples: SoakSample[]; failed: number }> {
  const samples: SoakSample[] = [{ runs: 0, rssMb: rssMb() }];
  let done = 0;
  let failed = 0;
  await concurrently(callers, total, async (caller) => {
    const reply = await evaluate(evaluator, `soak${caller}`, TRIVIAL);
    if (reply.status !== 'ok') failed++;
    if (++done % every === 0) samples.push({ runs: done, rssMb: rssMb() });
  });
  return { samples, failed };
}
