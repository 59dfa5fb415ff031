import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import { whenAborted } from './abort.js';
import { BOOT_FRAME } from './boot.js';
import { QUICK_CALL_MS, withDeadline } from './deadline.js';
import { isGoneError } from './docker-errors.js';
import { markerPrefix, newNonce } from './end-marker.js';
import type { Remover } from './remover.js';
import { createDemuxer, OutputCollector, type CapturedOutput } from './output.js';
import { maxReportBytes, readFilesReport } from './files.js';
import type { FileLimits } from './limits.js';
import { frameRequest, type RunInput } from './request.js';
import type { FilesLeftOut, RunFile } from './result.js';

/**
 * The race-free life of one sandbox container (docs/architecture.md §3):
 * create → attach BEFORE start → start → write the bootstrap to stdin (boot.ts)       (launch)
 * → write the request to stdin and half-close → arm the wall clock once Python is up → on timeout,
 * output cap or a broken end-of-run marker, SIGKILL → if the run ended without its marker, ask
 * Docker for the exit status once the output stream has ended → look for an OOM kill  (execute)
 * → force-remove                                                                      (destroy)
 * A pooled sandbox is simply launched ahead of time; execution is identical.
 */

export interface LaunchedSandbox {
  readonly docker: Docker;
  readonly container: Docker.Container;
  /**
   * Aborts the question for the exit status (readExitStatus) if it is still open (destroy()): a
   * wedged engine may never answer it.
   */
  readonly exitQuery: AbortController;
  /** False once the output stream ended: the process exited, or the connection to it broke (a pooled member that died idle). */
  readonly isAlive: () => boolean;
  readonly launchedAt: number;
  readonly stream: Socket;
  readonly streamEnded: Promise<void>;
  readonly collector: OutputCollector;
  /** Called once if the output reaches the cap; execute() installs the real handler. */
  onCapped: () => void;
}

/**
 * Why we killed a run. `protocol`: output after the end-of-run marker (from a process the program
 * left running, or a forged marker), or a malformed marker.
 */
export type KillCause = 'timeout' | 'output_limit' | 'protocol' | 'cancelled';

/** How a run ended: by itself, with its exit code, or killed by us, for a reason. */
export type Execution = Ended | Killed;

interface Ended {
  cause: null;
  exitCode: number;
  oomKilled: boolean;
  captured: CapturedOutput;
  durationMs: number;
  /** The files the run left (none when it ended without its marker: the sandbox collected none). */
  returned: ReturnedFiles;
}

export interface ReturnedFiles {
  files: RunFile[];
  leftOut: FilesLeftOut;
}

const NO_FILES: ReturnedFiles = { files: [], leftOut: {} };

interface Killed {
  cause: KillCause;
  /**
   * Null when we didn't get it: a cancelled run doesn't wait for it, and an engine may be slow to
   * report a kill it accepted.
   */
  exitCode: number | null;
  oomKilled: boolean;
  captured: CapturedOutput;
  durationMs: number;
}

/** How long we wait for the attach stream to finish after the process exited. */
const DRAIN_MS = 1_000;
/** How long after SIGKILL Docker may take to report the exit before we give up on it. */
const EXIT_REPORT_GRACE_MS = 5_000;
/** Beyond the collecting time itself, for the report to arrive (the bootstrap keeps to that time). */
const COLLECT_SLACK_MS = 1_000;

/** The limits execute() enforces. */
export interface ExecuteLimits {
  timeoutMs: number;
  /** How long Python may take to come up (up-signal.ts) before the time limit starts all the same. */
  startupMs: number;
  files: FileLimits;
}

export async function launch(
  docker: Docker,
  spec: Docker.ContainerCreateOptions,
  outputCapBytes: number,
  remover: Remover,
): Promise<LaunchedSandbox> {
  const container = await docker.createContainer(spec);
  try {
    const stream = (await container.attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
    })) as unknown as Socket;
    stream.on('error', () => {}); // a broken attach shows up as a failed wait; never crash on it
    const streamEnded = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
    });
    let alive = true;
    streamEnded.then(() => (alive = false));
    const sandbox: LaunchedSandbox = {
      docker,
      container,
      exitQuery: new AbortController(),
      isAlive: () => alive,
      launchedAt: Date.now(),
      stream,
      streamEnded,
      collector: new OutputCollector(outputCapBytes, () => sandbox.onCapped()),
      onCapped: () => {},
    };
    stream.on('data', createDemuxer((name, chunk) => sandbox.collector.push(name, chunk)));
    await container.start();
    sandbox.stream.write(BOOT_FRAME); // what Python runs: boot.ts
    return sandbox;
  } catch (error) {
    await remover.remove(container);
    throw error;
  }
}

/**
 * The exit status of a container whose output stream has ended. Waiting for `not-running` answers
 * at once for a container that has exited, and only then for one still exiting: asked after the
 * stream's end, it can't miss the exit. A run that ends with its marker never asks: the marker
 * carries the exit code, and the engine is spared a call and a connection per run.
 */
async function readExitStatus({ container, exitQuery }: LaunchedSandbox): Promise<number> {
  const answer = container.wait({ condition: 'not-running', abortSignal: exitQuery.signal });
  const { StatusCode } = (await withDeadline(answer, QUICK_CALL_MS, 'Docker did not report an exit')) as { StatusCode?: unknown };
  if (typeof StatusCode !== 'number') throw new Error('Docker reported an exit without its status');
  return StatusCode;
}

/**
 * Delivers the request, enforces the wall clock and output cap, and reports how it ended. When
 * `signal` aborts, the container is SIGKILLed and the run ends at once with the output so far.
 */
export async function execute(
  sandbox: LaunchedSandbox,
  input: RunInput,
  limits: ExecuteLimits,
  signal?: AbortSignal,
): Promise<Execution> {
  const { timeoutMs } = limits;
  let cause: KillCause | null = null;
  // Settles true once the engine has accepted our SIGKILL, false if it refused or never answered.
  let killAccepted: Promise<boolean> | null = null;
  const stop = (why: KillCause) => {
    if (cause) return;
    cause = why;
    killAccepted = killContainer(sandbox.container).then(
      () => true,
      () => false,
    );
  };
  sandbox.onCapped = () => stop('output_limit');

  const nonce = newNonce();
  let marked = false; // set the moment the marker is complete: before the stream's end can be seen
  const reportedEnd = new Promise<{ exitCode: number; report: Buffer }>((ended) =>
    sandbox.collector.expectMarker(markerPrefix(nonce), maxReportBytes(limits.files), {
      ended: (exitCode, report) => {
        marked = true;
        ended({ exitCode, report });
      },
      broken: () => stop('protocol'),
    }),
  );
  sandbox.stream.end(frameRequest(input, nonce, limits.files)); // the request, then half-close: EOF after it
  // The time limit is the program's: it starts once Python is up (at once for a pooled member that
  // is), or after `startupMs` all the same; a program that ended in time gets a moment more for the
  // sandbox to collect its files.
  const collectMs = limits.files.collectS * 1000 + COLLECT_SLACK_MS;
  const requestedAt = performance.now();
  let clockStartedAt: number | null = null;
  /** When Python was up for this request: at the request for a pooled member up before it. */
  const upFor = () => Math.max(requestedAt, sandbox.collector.upAt ?? requestedAt);
  /** When the program's time began: the clock's start, or Python's up signal if the run ended first. */
  const startedAt = () => clockStartedAt ?? upFor();
  let wallClock: NodeJS.Timeout | undefined;
  let over = false;
  const startClock = () => {
    if (clockStartedAt !== null || over) return;
    clockStartedAt = sandbox.collector.upAt === null ? performance.now() : upFor();
    wallClock = setTimeout(
      () => {
        if (sandbox.collector.programEnded) wallClock = setTimeout(() => stop('timeout'), collectMs);
        else stop('timeout');
      },
      Math.max(0, clockStartedAt + timeoutMs - performance.now()),
    );
  };
  const startupClock = setTimeout(startClock, limits.startupMs);
  void sandbox.collector.up.then(startClock);
  const abort = whenAborted(signal);
  // Without its marker, the run ended when the stream did, and only Docker knows the exit status.
  // (Once the run is over, our own destroy() ends the stream: nothing to ask then.)
  const unmarkedEnd = sandbox.streamEnded.then(() =>
    marked || over ? NEVER : readExitStatus(sandbox).then((exitCode) => ({ exitCode, report: null })),
  );
  let end: { exitCode: number; report: Buffer | null } | null;
  try {
    end = await withDeadline(
      Promise.race([
        reportedEnd,
        unmarkedEnd,
        abort.aborted.then(() => null),
      ]),
      limits.startupMs + timeoutMs + collectMs + EXIT_REPORT_GRACE_MS,
      'Docker did not report the end of the run',
    );
  } catch (error) {
    // We killed it and the engine took the kill, but the exit is slow to be reported (a gVisor
    // sandbox full of processes can take many seconds to die on a busy host): why we killed it is
    // the answer, and the removal that follows finishes the job. A refused or unanswered kill
    // means the engine itself is in trouble, and that is the answer instead.
    const killed = killAccepted as Promise<boolean> | null; // set in stop(), which TypeScript can't see
    if (!cause || !killed || !(await killed)) throw error;
    return { cause, exitCode: null, oomKilled: false, captured: sandbox.collector.finish(), durationMs: performance.now() - startedAt() };
  } finally {
    over = true;
    clearTimeout(startupClock);
    clearTimeout(wallClock);
    abort.release();
  }
  const durationMs = performance.now() - startedAt();
  if (end === null) {
    // The caller has stopped caring: don't wait for Docker to report the exit (the engine may be
    // wedged, and shutdown waits on this). The runner removes the container right after.
    killContainer(sandbox.container).catch(() => {});
    return { cause: 'cancelled', exitCode: null, oomKilled: false, captured: sandbox.collector.finish(), durationMs };
  }
  if (end.report) {
    // The program finished by itself and all its output is in: no need to wait for Docker. (If we
    // killed it meanwhile, the cause decides the result, not the marker.)
    const captured = sandbox.collector.finish();
    if (cause) return { cause, exitCode: end.exitCode, oomKilled: false, captured, durationMs };
    return { cause, exitCode: end.exitCode, oomKilled: false, captured, durationMs, returned: readFilesReport(end.report, limits.files) };
  }
  await withDeadline(sandbox.streamEnded, DRAIN_MS, '').catch(() => {});
  // Only a failed run can have been OOM-killed: a clean exit saves the inspect round trip.
  const oomKilled = end.exitCode !== 0 && (await wasOomKilled(sandbox, end.exitCode === SIGKILLED && !cause));
  const captured = sandbox.collector.finish();
  if (cause) return { cause, exitCode: end.exitCode, oomKilled, captured, durationMs };
  return { cause, exitCode: end.exitCode, oomKilled, captured, durationMs, returned: NO_FILES };
}

/** A race entrant that never wins. */
const NEVER = new Promise<never>(() => {});

/** Exit code of a process killed by SIGKILL (128 + 9). */
const SIGKILLED = 137;
/**
 * How long after the exit Docker may still learn of an OOM kill. Under gVisor the kill's event can
 * come after the exit's (measured up to 0.2 s under load), and then State.OOMKilled stays false for
 * good; the event itself is still logged.
 */
const OOM_EVENT_LAG_MS = 1_000;

/**
 * Docker's State.OOMKilled; for an unexplained SIGKILL, also an `oom` event for the container in the
 * engine's event log, up to a moment after the exit.
 */
async function wasOomKilled(sandbox: LaunchedSandbox, unexplainedKill: boolean): Promise<boolean> {
  const info = await withDeadline(sandbox.container.inspect(), QUICK_CALL_MS, 'Docker did not answer an inspect');
  if (info.State.OOMKilled) return true;
  // The event log is only extra evidence: if it can't be read, the run reads as killed.
  return unexplainedKill && oomEventLogged(sandbox).catch(() => false);
}

/** True once the engine logs an `oom` event for this container, false after OOM_EVENT_LAG_MS. */
async function oomEventLogged({ docker, container, launchedAt }: LaunchedSandbox): Promise<boolean> {
  const events = (await withDeadline(
    docker.getEvents({
      // The event log answers in whole seconds from `since`; the id filter makes a wide window harmless.
      since: Math.floor(launchedAt / 1000) - 1,
      until: (Date.now() + OOM_EVENT_LAG_MS) / 1000,
      filters: { type: ['container'], container: [container.id], event: ['oom'] },
    }),
    QUICK_CALL_MS,
    'Docker did not answer an events query',
  )) as IncomingMessage;
  return new Promise((resolve) => {
    const settle = (seen: boolean) => {
      clearTimeout(deadline);
      events.destroy();
      resolve(seen);
    };
    // The engine ends the stream at `until`; this deadline only guards against one that doesn't.
    const deadline = setTimeout(() => settle(false), OOM_EVENT_LAG_MS + QUICK_CALL_MS);
    events.once('data', () => settle(true));
    events.once('end', () => settle(false));
    events.once('error', () => settle(false));
  });
}

async function killContainer(container: Docker.Container): Promise<void> {
  try {
    await withDeadline(container.kill({ signal: 'SIGKILL' }), QUICK_CALL_MS, 'Docker did not kill a sandbox');
  } catch (error) {
    if (!isGoneError(error)) throw error;
  }
}

/**
 * Tears down a launched sandbox: our end of its connections now, then the container itself (once
 * `after` settles, when given).
 */
export function destroy(sandbox: LaunchedSandbox, remover: Remover, details: object = {}, after?: Promise<void>): Promise<void> {
  sandbox.stream.destroy();
  sandbox.exitQuery.abort();
  return remover.remove(sandbox.container, details, after);
}
