import Docker from 'dockerode';
import { LABEL_SANDBOX } from '../../sandbox/labels.js';
import { DockerSandbox } from '../../sandbox/sandbox.js';
import { BUILT_IN_PYTHONS, settingsFor } from '../support/sandbox.js';

/** Start-up log lines (the image build's progress above all) on stderr, marked as the setup's. */
const log = {
  debug() {},
  info() {},
  warn: (_: object, message: string) => process.stderr.write(`[setup] ${message}\n`),
  error: (details: object, message: string) => process.stderr.write(`[setup] ${message} ${JSON.stringify(details)}\n`),
};

/**
 * The sandbox tests need the images, one per built-in Python: start a sandbox the way the bot does,
 * which builds each once if this checkout's recipe isn't built yet (and sweeps away what killed
 * test runs left behind).
 */
export async function setup(): Promise<void> {
  const sandbox = new DockerSandbox(settingsFor('runc', {}, { pythons: BUILT_IN_PYTHONS }), log);
  const readiness = await sandbox.ready;
  await sandbox.close();
  if (!readiness.ok) throw new Error(`the sandbox is not ready: ${readiness.reason}`);
}

/** After the whole suite, no labelled sandbox may be left on the engine. */
export async function teardown(): Promise<void> {
  const left = await new Docker().listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
  if (left.length) {
    process.exitCode = 1; // vitest prints an error thrown here, but exits 0 all the same
    throw new Error(`${left.length} sandbox container(s) left after the suite: ${left.map((c) => c.Id.slice(0, 12)).join(', ')}`);
  }
}
