import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { followProgress } from './progress.js';
import type { PythonRecipe } from './pythons.js';
import { dockerfileEnv, imageAsset, LABEL_BUILD, LABEL_RECIPE, RECIPE_FILES, recipeHash } from './recipe.js';

export type BuildMethod = 'dockerfile' | 'offline';
export type Log = (line: string) => void;

/**
 * Builds the sandbox image of one Python version under `tag`: from the Dockerfile when the version's
 * official image can be had (already present or pullable), otherwise offline with debootstrap from
 * the version's Debian suite. Both give the same contract, PYTHON_VERSION (the full version) included.
 */
export async function buildImage(docker: Docker, python: PythonRecipe, tag: string, log: Log): Promise<BuildMethod> {
  const unavailable = await baseUnavailable(docker, python.base);
  if (!unavailable) {
    log(`building ${tag} from sandbox/image/Dockerfile (base ${python.base})`);
    await buildFromDockerfile(docker, python, tag, log);
    return 'dockerfile';
  }
  log(`base image ${python.base} can't be pulled (${unavailable}); building ${tag} offline with debootstrap (Debian ${python.suite})`);
  await buildOffline(docker, python, tag, log);
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

function labels(python: PythonRecipe, method: BuildMethod): Record<string, string> {
  return { [LABEL_RECIPE]: recipeHash(python), [LABEL_BUILD]: method };
}

async function buildFromDockerfile(docker: Docker, python: PythonRecipe, tag: string, log: Log): Promise<void> {
  const stream = await docker.buildImage(
    { context: imageAsset(''), src: [...RECIPE_FILES] },
    { t: tag, labels: labels(python, 'dockerfile'), buildargs: { BASE: python.base }, rm: true, forcerm: true },
  );
  await followProgress(docker, stream, log);
}

async function buildOffline(docker: Docker, python: PythonRecipe, tag: string, log: Log): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the offline image build runs debootstrap, which needs root: run `sudo npx sandpiper image build`',
    );
  }
  const workdir = await mkdtemp(join(tmpdir(), 'sandpiper-image-'));
  try {
    const tarball = join(workdir, 'rootfs.tar');
    const versionFile = join(workdir, 'python-version');
    await runBuildScript([python.suite, versionFile], tarball, log);
    const fullVersion = (await readFile(versionFile, 'utf8')).trim();
    if (!fullVersion.startsWith(`${python.version}.`)) {
      throw new Error(`Debian ${python.suite}'s python3 is ${fullVersion || 'missing'}, not ${python.version}: sandbox/image/pythons.ts needs another suite for it`);
    }
    const [repo, version] = splitTag(tag);
    const changes = [
      ...Object.entries(labels(python, 'offline')).map(([key, value]) => `LABEL ${key}=${value}`),
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      // As the official images say it: the version that runs, which results report.
      `ENV PYTHON_VERSION=${fullVersion}`,
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
async function runBuildScript(args: string[], tarball: string, log: Log): Promise<void> {
  const child = spawn('bash', [imageAsset('build-offline.sh'), imageAsset(''), ...args], {
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
