import Docker from 'dockerode';
import { ensureImage } from '../../sandbox/image/ensure.js';
import { defaultImageTag } from '../../sandbox/image/recipe.js';
import { LABEL_SANDBOX } from '../../sandbox/labels.js';

const docker = new Docker();

/** The sandbox tests need the image: build it once if this checkout's recipe isn't built yet. */
export async function setup(): Promise<void> {
  await ensureImage(docker, defaultImageTag(), (line) => process.stderr.write(`[image] ${line}\n`));
}

/** After the whole suite, no labelled sandbox may be left on the engine. */
export async function teardown(): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SANDBOX}=1`] } });
  if (left.length) {
    throw new Error(`${left.length} sandbox container(s) left after the suite: ${left.map((c) => c.Id.slice(0, 12)).join(', ')}`);
  }
}
