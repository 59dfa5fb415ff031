import { parseArgs } from 'node:util';
import { loadConfig, type Config, type SandboxConfig } from '../config.js';
import { RemoteSandbox } from '../service/remote-sandbox.js';
import { createLogger } from '../log.js';
import { openSandbox, type EngineInfo, type EngineReport, type OfferedImage, type Sandbox } from '../sandbox.js';
import { missingImage } from '../../sandbox/docker-errors.js';
import type { PythonImage } from '../../sandbox/image/pythons.js';
import { builtInRecipe } from '../../sandbox/image/recipe.js';
import { effectivePids, RUNSC_MIN_PIDS } from '../../sandbox/limits.js';
import { OCI_SECCOMP, RUNSC_FLAGS } from '../../sandbox/runsc.js';
import { RESERVED_UID_COUNT, FIRST_SANDBOX_UID } from '../../sandbox/uids.js';
import { DOCKER_HOST_FORMS, malformedDockerHost, unreachableDockerHostFix } from './docker-host.js';
import type { CommandHelp } from './usage.js';

export const doctorHelp: CommandHelp = {
  synopsis: 'doctor',
  summary: 'check what a run needs, and say how to fix each problem',
  details: `Checks what a run needs, in order: Docker answers (DOCKER_HOST), the runtime is registered
(SANDBOX_RUNTIME), the kernel enforces the limits, and for each Python offered (SANDBOX_PYTHONS,
SANDBOX_IMAGE): its image is present and current, and a trivial run in it works, isolated. With
SANDBOX_RUNNERS, it checks each runner service instead: ready, and a trivial run on it works. Exit code 0 when all is good, 1 otherwise.`,
};

interface Check {
  ok: boolean;
  /** A warning doesn't fail the doctor, but says what is weaker than it should be. */
  warn?: boolean;
  what: string;
  fix?: string;
}

function checkDocker(engine: EngineReport): Check {
  if (engine.reachable) {
    const { info } = engine;
    return { ok: true, what: `Docker ${info.ServerVersion ?? '?'} answers (cgroup v${info.CgroupVersion ?? '?'})` };
  }
  const fix = unreachableDockerHostFix(process.env.DOCKER_HOST, engine.error) ?? engine.reason;
  return { ok: false, what: 'Docker is not reachable', fix };
}

/** Whether the configured runtime is registered, as sandboxes need it (exported for its test). */
export function checkRuntime(info: EngineInfo, config: Pick<SandboxConfig, 'runtime'>): Check {
  const runtimes = Object.keys(info.Runtimes ?? {});
  if (!runtimes.includes(config.runtime)) {
    const registration = JSON.stringify({ runtimes: { runsc: { path: '/usr/bin/runsc', runtimeArgs: RUNSC_FLAGS } } });
    return {
      ok: false,
      what: `runtime "${config.runtime}" (SANDBOX_RUNTIME) is not registered; Docker has: ${runtimes.join(', ')}`,
      fix:
        `\`sudo npm run setup\` (in the checkout) installs gVisor and registers it; by hand: apt-get install runsc, add ${registration} to ` +
        '/etc/docker/daemon.json and reload dockerd (kill -HUP) — or set SANDBOX_RUNTIME=runc',
    };
  }
  if (config.runtime === 'runsc' && !runtimeArgs(info, 'runsc').includes(OCI_SECCOMP)) {
    return {
      ok: false,
      what: `runsc is registered without ${OCI_SECCOMP}: the sandboxes' seccomp filter would not apply inside gVisor`,
      fix: '`sudo npm run setup` (in the checkout) adds it to /etc/docker/daemon.json and reloads dockerd',
    };
  }
  const gvisor = runtimes.includes('runsc') ? 'gVisor (runsc) is available' : 'gVisor (runsc) is not installed';
  return { ok: true, what: `runtime "${config.runtime}" is registered (${gvisor})` };
}

/** The flags Docker starts a runtime with (`runtimeArgs` in daemon.json). */
function runtimeArgs(info: EngineInfo, name: string): unknown[] {
  const runtime = info.Runtimes?.[name] as { runtimeArgs?: unknown } | undefined;
  return Array.isArray(runtime?.runtimeArgs) ? runtime.runtimeArgs : [];
}

function checkLimits(info: EngineInfo): Check[] {
  const missing = (
    [
      ['MemoryLimit', 'memory limits'],
      ['PidsLimit', 'pids limits'],
      ['CpuCfsQuota', 'CPU quotas'],
    ] as const
  ).filter(([key]) => info[key] === false);
  const checks: Check[] = [
    missing.length
      ? {
          ok: false,
          what: `the kernel can't enforce ${missing.map(([, label]) => label).join(', ')}`,
          fix: 'enable the memory, pids and cpu cgroup controllers on this host',
        }
      : { ok: true, what: 'memory, pids and CPU limits can be enforced' },
  ];
  if (info.SwapLimit === false) {
    checks.push({
      ok: true,
      warn: true,
      what: 'no swap accounting: memory+swap limits are not enforced (swap may extend memory)',
      fix: 'boot with swapaccount=1 (cgroup v1) or use cgroup v2',
    });
  }
  return checks;
}

function checkImage({ python, status }: OfferedImage): Check {
  const { image, version } = python;
  if (!status.present) return { ok: false, ...missingImage(image) };
  if (status.current === false) {
    return { ok: false, what: `${image} is stale`, fix: 'run `npx sandpiper image build --force`' };
  }
  if (version && status.python && !status.python.startsWith(`${version}.`)) {
    return { ok: false, what: `${image} runs Python ${status.python}, not ${version}`, fix: 'set SANDBOX_PYTHONS to the version the image runs' };
  }
  const how = builtInRecipe(image) ? `built ${status.builtWith ?? '?'}` : 'custom';
  return { ok: true, what: `the sandbox image ${image} is present (${how}, ${status.sizeMb} MB), Python ${status.python ?? version ?? 'of an unstated version'}` };
}

async function checkRun(sandbox: Sandbox, python: PythonImage): Promise<Check> {
  const probe = 'import ctypes, os, socket\nprint(os.getuid(), len(socket.if_nameindex()), ctypes.CDLL(None).prctl(21, 0, 0, 0, 0))';
  const result = await sandbox.run({ code: probe, ...(python.version ? { python: python.version } : {}) });
  if (result.status !== 'ok') {
    const why = result.reason ?? `${result.status}: ${result.output.trim().split('\n').pop() ?? ''}`;
    return { ok: false, what: `a trivial run fails${python.version ? ` in Python ${python.version}` : ''}`, fix: why };
  }
  const [uid, interfaces, seccomp] = result.stdout.trim().split(' ').map(Number) as [number, number, number];
  const ownUid = uid >= FIRST_SANDBOX_UID && uid < FIRST_SANDBOX_UID + RESERVED_UID_COUNT;
  // PR_GET_SECCOMP answers 2 under a seccomp filter.
  if (!ownUid || interfaces !== 1 || seccomp !== 2) {
    return {
      ok: false,
      what: `a run is not isolated (uid ${uid}, ${interfaces} network interfaces, seccomp mode ${seccomp})`,
      fix: 'report this: the sandbox spec was not applied',
    };
  }
  const where = result.python ? ` in Python ${result.python}` : '';
  return { ok: true, what: `a trivial run works${where}: a uid of its own (${uid}), loopback only, seccomp on, ${result.durationMs} ms` };
}

/** One runner service (SANDBOX_RUNNERS): ready by its /healthz, and a trivial run on it alone works. */
async function checkRunner(url: string, config: Config): Promise<Check> {
  const remote = new RemoteSandbox({ runners: [url], token: config.runner.token, runMs: config.sandbox.limits.timeoutS * 1000 });
  const ready = await remote.ready;
  if (!ready.ok) return { ok: false, what: `the runner ${url} is not ready`, fix: ready.reason };
  const result = await remote.run({ code: 'print("ok")' });
  if (result.status !== 'ok' || result.output !== 'ok\n') {
    return { ok: false, what: `a trivial run on the runner ${url} fails`, fix: result.reason ?? `it ended as ${result.status}` };
  }
  const where = result.python ? ` in Python ${result.python}` : '';
  return { ok: true, what: `the runner ${url} is ready: a trivial run works${where}, ${result.durationMs} ms` };
}

function print(check: Check): void {
  const mark = !check.ok ? '✖' : check.warn ? '!' : '✔';
  process.stdout.write(`${mark} ${check.what}\n`);
  if (check.fix && (!check.ok || check.warn)) process.stdout.write(`    fix: ${check.fix}\n`);
}

/** The pids limit a run gets, and why when it isn't SANDBOX_PIDS. */
function pidsLimit(config: SandboxConfig): string {
  const pids = effectivePids(config.limits, config.runtime);
  if (pids === config.limits.pids) return `${pids} pids`;
  return `${pids} pids (SANDBOX_PIDS=${config.limits.pids} raised to runsc's minimum of ${RUNSC_MIN_PIDS}: gVisor's own threads count too)`;
}

/** `sandpiper doctor`: checks what a run needs, in order, and says how to fix each failure. */
export async function doctorCommand(args: string[]): Promise<number> {
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig();
  const { limits } = config.sandbox;
  process.stdout.write(
    `limits: ${limits.timeoutS} s, ${limits.memoryMb} MiB, ${pidsLimit(config.sandbox)}, ${limits.cpus} CPU, ` +
      `${limits.tmpfsMb} MiB /tmp, ${limits.outputKb} KiB output, code ≤ ${config.sandbox.maxCodeBytes / 1024} KiB\n`,
  );
  const checks: Check[] = [];
  const report = (check: Check) => {
    checks.push(check);
    print(check);
  };
  // Without a local engine, the runners are what a run needs: each must answer, and a run must work.
  if (config.sandbox.runners.length) {
    for (const url of config.sandbox.runners) report(await checkRunner(url, config));
    return summary(checks);
  }
  // dockerode can't even be set up with an address it can't parse: say so, and go no further.
  const badHost = malformedDockerHost(process.env.DOCKER_HOST);
  if (badHost) {
    report({ ok: false, what: badHost, fix: DOCKER_HOST_FORMS });
    return summary(checks);
  }
  // The doctor only looks: no image build, no orphan sweeps.
  const sandbox = openSandbox({ ...config.sandbox, poolSize: 0 }, createLogger('silent'), { prepare: false });
  try {
    const engine = await sandbox.inspect();
    report(checkDocker(engine));
    if (engine.reachable) {
      const runtime = checkRuntime(engine.info, config.sandbox);
      report(runtime);
      checkLimits(engine.info).forEach(report);
      for (const offered of engine.images) {
        const image = checkImage(offered);
        report(image);
        if (runtime.ok && image.ok) report(await checkRun(sandbox, offered.python));
      }
    }
  } finally {
    await sandbox.close();
  }
  return summary(checks);
}

/** The last line, and the exit code. */
function summary(checks: Check[]): number {
  const failed = checks.filter((check) => !check.ok).length;
  process.stdout.write(failed ? `${failed} problem(s) found\n` : 'all good\n');
  return failed ? 1 : 0;
}
