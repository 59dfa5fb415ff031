import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { followProgress } from './progress.js';
import {
  dockerfileBase,
  dockerfileEnv,
  imageAsset,
  LABEL_BUILD,
  LABEL_RECIPE,
  RECIPE_FILES,
  recipeHash,
} from './recipe.js';

export type BuildMethod = 'dockerfile' | 'offline';
export type Log = (line: string) => void;

/**
 * Builds the sandbox image under `tag`: from the Dockerfile when its base image can be had (already
 * present or pullable), otherwise offline with debootstrap. Both give the same contract.
 */
export async function buildImage(docker: Docker, tag: string, log: Log): Promise<BuildMethod> {
  const base = dockerfileBase();
  const unavailable = await baseUnavailable(docker, base);
  if (!unavailable) {
    log(`building ${tag} from sandbox/image/Dockerfile (base ${base})`);
    await buildFromDockerfile(docker, tag, log);
    return 'dockerfile';
  }
  log(`base image ${base} can't be pulled (${unavailable}); building ${tag} offline with debootstrap`);
  await buildOffline(docker, tag, log);
  return 'offline';
}

/** Why the Dockerfile's base image can't be used, or null when it can. */
async function baseUnavailable(docker: Docker, base: string): Promise<string | null> {
  try {
    await docker.getImage(base).inspect();
    return null;
  } catch {
    // not present locally: try to pull it
  }
  try {
    await followProgress(docker, await docker.pull(base));
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'pull failed';
  }
}

function labels(method: BuildMethod): Record<string, string> {
  return { [LABEL_RECIPE]: recipeHash(), [LABEL_BUILD]: method };
}

async function buildFromDockerfile(docker: Docker, tag: string, log: Log): Promise<void> {
  const stream = await docker.buildImage(
    { context: imageAsset(''), src: [...RECIPE_FILES] },
    { t: tag, labels: labels('dockerfile'), rm: true, forcerm: true },
  );
  await followProgress(docker, stream, log);
}

async function buildOffline(docker: Docker, tag: string, log: Log): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the offline image build runs debootstrap, which needs root: run `sudo npx sandpiper image build`',
    );
  }
  const workdir = await mkdtemp(join(tmpdir(), 'sandpiper-image-'));
  try {
    const tarball = join(workdir, 'rootfs.tar');
    await runBuildScript(tarball, log);
    const [repo, version] = splitTag(tag);
    const changes = [
      ...Object.entries(labels('offline')).map(([key, value]) => `LABEL ${key}=${value}`),
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ...dockerfileEnv(),
      'CMD ["python3"]',
    ];
    log(`importing the root filesystem as ${tag}`);
    const stream = await docker.importImage(createReadStream(tarball), { repo, tag: version, changes });
    await followProgress(docker, stream);
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}

/** Runs build-offline.sh into a tar file; its progress (stderr) goes to the log line by line. */
async function runBuildScript(tarball: string, log: Log): Promise<void> {
  const child = spawn('bash', [imageAsset('build-offline.sh'), imageAsset('')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const written = pipeline(child.stdout, createWriteStream(tarball));
  let tail = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    tail = (tail + text).slice(-2000);
    for (const line of text.split('\n')) if (line.trim()) log(line.trimEnd());
  });
  const [code] = (await once(child, 'close')) as [number | null];
  await written;
  if (code !== 0) {
    const lastLine = tail.trim().split('\n').pop() ?? '';
    throw new Error(`offline image build failed (exit ${code}): ${lastLine}`);
  }
}

function splitTag(tag: string): [string, string] {
  const colon = tag.lastIndexOf(':');
  if (colon <= tag.lastIndexOf('/')) return [tag, 'latest'];
  return [tag.slice(0, colon), tag.slice(colon + 1)];
}
