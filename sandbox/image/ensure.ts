import type Docker from 'dockerode';
import { QUICK_CALL_MS, withDeadline } from '../deadline.js';
import { missingImage } from '../docker-errors.js';
import { buildImage, type Log } from './build.js';
import { builtInRecipe, LABEL_BUILD, LABEL_RECIPE, recipeHash } from './recipe.js';

export interface ImageStatus {
  present: boolean;
  /** For a built-in image: whether it was built from this checkout's recipe. */
  current: boolean | null;
  builtWith: string | null;
  /** The full Python version the image says it runs (its PYTHON_VERSION, as official images set it), if it says. */
  python: string | null;
  /** Its size on disk, in MB. */
  sizeMb: number | null;
}

/** Pulling a base image and installing the packages takes minutes; an hour means it is stuck. */
const BUILD_TIMEOUT_MS = 60 * 60_000;

export async function inspectImage(docker: Docker, image: string): Promise<ImageStatus> {
  try {
    const info = await withDeadline(docker.getImage(image).inspect(), QUICK_CALL_MS, 'Docker did not answer an image inspect');
    const labels = info.Config?.Labels ?? {};
    const recipe = builtInRecipe(image);
    return {
      present: true,
      current: recipe ? labels[LABEL_RECIPE] === recipeHash(recipe) : null,
      builtWith: labels[LABEL_BUILD] ?? null,
      python: pythonVersionOf(info.Config?.Env ?? []),
      sizeMb: Math.round(info.Size / 1e6),
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      return { present: false, current: null, builtWith: null, python: null, sizeMb: null };
    }
    throw error;
  }
}

const FULL_VERSION = /^\d+\.\d+\.\d+\S*$/;

function pythonVersionOf(env: readonly string[]): string | null {
  const value = env.find((entry) => entry.startsWith('PYTHON_VERSION='))?.slice('PYTHON_VERSION='.length);
  return value && FULL_VERSION.test(value) ? value : null;
}

/** The build itself failed (as opposed to Docker not answering whether the image is there). */
export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

/**
 * Makes sure a sandbox image exists before the first run. A built-in image is built when missing
 * and `build` allows it (and the operator is told); a custom SANDBOX_IMAGE is the operator's to
 * provide.
 */
export async function ensureImage(docker: Docker, image: string, log: Log, build: boolean): Promise<'present' | 'built'> {
  if ((await inspectImage(docker, image)).present) return 'present';
  const recipe = builtInRecipe(image);
  if (!recipe || !build) {
    const { what, fix } = missingImage(image);
    throw new Error(`${what}: ${fix}`);
  }
  log(`the sandbox image ${image} (Python ${recipe.version}) is missing: building it now (this takes a few minutes, once)`);
  try {
    await withDeadline(buildImage(docker, recipe, image, log), BUILD_TIMEOUT_MS, `the build of ${image} did not finish within an hour`);
  } catch (error) {
    throw new ImageBuildError((error as Error).message, { cause: error });
  }
  return 'built';
}
