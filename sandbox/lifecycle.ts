import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type Docker from 'dockerode';
import { whenAborted } from './abort.js';
import { QUICK_CALL_MS, withDeadline } from './deadline.js';
import { isGoneError } from './docker-errors.js';
import { markerPrefix, newNonce } from './end-marker.js';
import type { Remover } from './remover.js';
import { createDemuxer, OutputCollector, type CapturedOutput } from './output.js';
import { frameRequest, type RunInput } from './request.js';

/**
 * The race-free life of one sandbox container (docs/architecture.md §3):
 * create → attach BEFORE start → register a `next-exit` wait BEFORE start → start   (launch)
 * → write the request to stdin and half-close → arm the wall clock → on timeout or output cap,
 * SIGKILL → drain briefly → inspect for OOMKilled and the exit code                   (execute)
 * → force-remove                                                                      (destroy)
 * A pooled sandbox is simply launched ahead of time; execution is identical.
 */

export interface LaunchedSandbox {
  readonly container: Docker.Container;
  /** Resolves with the exit status code; rejects if the connection to Docker breaks. */
  readonly exited: Promise<number>;
  /** False once the process exited or the connection to it broke (a pooled member that died idle). */
  readonly isAlive: () => boolean;
  readonly launchedAt: number;
  readonly stream: Socket;
  readonly streamEnded: Promise<void>;
  readonly collector: OutputCollector;
  /** Called once if the output cap is hit; execute() installs the real handler. */
  onOverflow: () => void;
}

export interface Execution {
  /** Why we killed it, if we did. */
  cause: 'timeout' | 'output_limit' | 'cancelled' | null;
  /** Null only for a cancelled run: its result doesn't wait for Docker to report the exit. */
  exitCode: number | null;
  oomKilled: boolean;
  captured: CapturedOutput;
  durationMs: number;
}

/** How long we wait for the attach stream to finish after the process exited. */
const DRAIN_MS = 1_000;
/** How long after SIGKILL Docker may take to report the exit before we give up on it. */
const EXIT_REPORT_GRACE_MS = 5_000;

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
    const { exit } = await registerExitWait(docker, container.id);
    const exited = exit.finally(() => (alive = false));
    exited.catch(() => {}); // observed later by execute(); an idle pooled member may never be
    streamEnded.then(() => (alive = false));
    const sandbox: LaunchedSandbox = {
      container,
      exited,
      isAlive: () => alive,
      launchedAt: Date.now(),
      stream,
      streamEnded,
      collector: new OutputCollector(outputCapBytes, () => sandbox.onOverflow()),
      onOverflow: () => {},
    };
    stream.on('data', createDemuxer((name, chunk) => sandbox.collector.push(name, chunk)));
    await container.start();
    return sandbox;
  } catch (error) {
    await remover.remove(container);
    throw error;
  }
}

/**
 * POST /containers/{id}/wait?condition=next-exit, resolved in two steps. Docker writes the response
 * headers as soon as the waiter is registered, so awaiting them before `start` guarantees the exit
 * can't slip past us (dockerode's own wait() only resolves at exit, hiding that moment).
 */
function registerExitWait(docker: Docker, id: string): Promise<{ exit: Promise<number> }> {
  return new Promise((registered, failed) => {
    docker.modem.dial(
      {
        path: `/containers/${id}/wait?`, // docker-modem appends the query from options._query
        method: 'POST',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: { _query: { condition: 'next-exit' }, _body: {} },
      },
      (error: Error | null, response: unknown) => {
        if (error) return failed(error);
        registered({ exit: readExitCode(response as IncomingMessage) });
      },
    );
  });
}

function readExitCode(response: IncomingMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the Docker connection closed during the run')));
    response.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { StatusCode?: number };
        if (typeof body.StatusCode !== 'number') throw new Error('no StatusCode in wait response');
        resolve(body.StatusCode);
      } catch {
        reject(new Error('the Docker connection closed during the run'));
      }
    });
  });
}

/**
 * Delivers the request, enforces the wall clock and output cap, and reports how it ended. When
 * `signal` aborts, the container is SIGKILLed and the run ends at once with the output so far.
 */
export async function execute(
  sandbox: LaunchedSandbox,
  input: RunInput,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Execution> {
  let cause: Execution['cause'] = null;
  const stop = (why: NonNullable<Execution['cause']>) => {
    if (cause) return;
    cause = why;
    // If the kill fails, Docker is gone too: the exit deadline below turns that into an error.
    killContainer(sandbox.container).catch(() => {});
  };
  sandbox.onOverflow = () => stop('output_limit');

  const nonce = newNonce();
  const reportedEnd = new Promise<number>((resolve) => sandbox.collector.expectMarker(markerPrefix(nonce), resolve));
  sandbox.stream.end(frameRequest(input, nonce)); // the code, then half-close: EOF after it
  const startedAt = performance.now();
  const wallClock = setTimeout(() => stop('timeout'), timeoutMs);
  const abort = whenAborted(signal);
  let end: { exitCode: number; byMarker: boolean } | null;
  try {
    end = await withDeadline(
      Promise.race([
        reportedEnd.then((exitCode) => ({ exitCode, byMarker: true })),
        sandbox.exited.then((exitCode) => ({ exitCode, byMarker: false })),
        abort.aborted.then(() => null),
      ]),
      timeoutMs + EXIT_REPORT_GRACE_MS,
      'Docker did not report the end of the run',
    );
  } finally {
    clearTimeout(wallClock);
    abort.release();
  }
  const durationMs = performance.now() - startedAt;
  if (end === null) {
    // The caller has stopped caring: don't wait for Docker to report the exit (the engine may be
    // wedged, and shutdown waits on this). The runner removes the container right after.
    killContainer(sandbox.container).catch(() => {});
    return { cause: 'cancelled', exitCode: null, oomKilled: false, captured: sandbox.collector.finish(), durationMs };
  }
  if (end.byMarker) {
    // The program finished by itself and all its output is in: no need to wait for Docker.
    return { cause, exitCode: end.exitCode, oomKilled: false, captured: sandbox.collector.finish(), durationMs };
  }
  await withDeadline(sandbox.streamEnded, DRAIN_MS, '').catch(() => {});
  // Only a failed run can have been OOM-killed: a clean exit saves the inspect round trip.
  const oomKilled = end.exitCode !== 0 && (await wasOomKilled(sandbox.container, end.exitCode === SIGKILLED && !cause));
  return { cause, exitCode: end.exitCode, oomKilled, captured: sandbox.collector.finish(), durationMs };
}

/** Exit code of a process killed by SIGKILL (128 + 9). */
const SIGKILLED = 137;
/** Docker can learn of an OOM kill a moment after the exit itself (seen under load with gVisor). */
const OOM_REPORT_LAG_MS = 300;

/** Docker's State.OOMKilled; an unexplained SIGKILL gets a second look after a short wait. */
async function wasOomKilled(container: Docker.Container, unexplainedKill: boolean): Promise<boolean> {
  if (await reportsOomKill(container)) return true;
  if (!unexplainedKill) return false;
  await new Promise((resolve) => setTimeout(resolve, OOM_REPORT_LAG_MS));
  return reportsOomKill(container);
}

async function reportsOomKill(container: Docker.Container): Promise<boolean> {
  const info = await withDeadline(container.inspect(), QUICK_CALL_MS, 'Docker did not answer an inspect');
  return info.State.OOMKilled;
}

async function killContainer(container: Docker.Container): Promise<void> {
  try {
    await withDeadline(container.kill({ signal: 'SIGKILL' }), QUICK_CALL_MS, 'Docker did not kill a sandbox');
  } catch (error) {
    if (!isGoneError(error)) throw error;
  }
}

/** Tears down a launched sandbox: our end of the stream, then the container itself. */
export function destroy(sandbox: LaunchedSandbox, remover: Remover, details: object = {}): Promise<void> {
  sandbox.stream.destroy();
  return remover.remove(sandbox.container, details);
}
