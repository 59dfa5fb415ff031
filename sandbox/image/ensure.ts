import type Docker from 'dockerode';
import { QUICK_CALL_MS, withDeadline } from '../deadline.js';
import { missingImage } from '../docker-errors.js';
import { buildImage, type Log } from './build.js';
import { defaultImageTag, LABEL_RECIPE, recipeHash } from './recipe.js';

export interface ImageStatus {
  present: boolean;
  /** For the built-in recipe's image: whether it was built from this checkout's recipe. */
  current: boolean | null;
  builtWith: string | null;
}

/** Pulling a base image and installing the packages takes minutes; an hour means it is stuck. */
const BUILD_TIMEOUT_MS = 60 * 60_000;

export async function inspectImage(docker: Docker, image: string): Promise<ImageStatus> {
  try {
    const info = await withDeadline(docker.getImage(image).inspect(), QUICK_CALL_MS, 'Docker did not answer an image inspect');
    const labels = info.Config?.Labels ?? {};
    const isBuiltIn = image === defaultImageTag();
    return {
      present: true,
      current: isBuiltIn ? labels[LABEL_RECIPE] === recipeHash() : null,
      builtWith: labels['sandpiper.build'] ?? null,
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      return { present: false, current: null, builtWith: null };
    }
    throw error;
  }
}

/** The build itself failed (as opposed to Docker not answering whether the image is there). */
export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
}

/**
 * Makes sure the sandbox image exists before the first run. The built-in recipe's image is built
 * when missing and `build` allows it (and the operator is told); a custom SANDBOX_IMAGE is the
 * operator's to provide.
 */
export async function ensureImage(docker: Docker, image: string, log: Log, build: boolean): Promise<'present' | 'built'> {
  if ((await inspectImage(docker, image)).present) return 'present';
  if (image !== defaultImageTag() || !build) {
    const { what, fix } = missingImage(image);
    throw new Error(`${what}: ${fix}`);
  }
  log(`the sandbox image ${image} is missing: building it now (this takes a minute or two, once)`);
  try {
    await withDeadline(buildImage(docker, image, log), BUILD_TIMEOUT_MS, `the build of ${image} did not finish within an hour`);
  } catch (error) {
    throw new ImageBuildError((error as Error).message, { cause: error });
  }
  return 'built';
}
