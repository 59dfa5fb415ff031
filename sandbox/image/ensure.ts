import type Docker from 'dockerode';
import { buildImage, type Log } from './build.js';
import { defaultImageTag, LABEL_RECIPE, recipeHash } from './recipe.js';

export interface ImageStatus {
  present: boolean;
  /** For the built-in recipe's image: whether it was built from this checkout's recipe. */
  current: boolean | null;
  builtWith: string | null;
}

export async function inspectImage(docker: Docker, image: string): Promise<ImageStatus> {
  try {
    const info = await docker.getImage(image).inspect();
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

/**
 * Makes sure the sandbox image exists before the first run. The built-in recipe's image is built
 * when missing (and the operator is told); a custom SANDBOX_IMAGE is the operator's to provide.
 */
export async function ensureImage(docker: Docker, image: string, log: Log): Promise<'present' | 'built'> {
  if ((await inspectImage(docker, image)).present) return 'present';
  if (image !== defaultImageTag()) {
    throw new Error(
      `the sandbox image ${image} (SANDBOX_IMAGE) is missing: build or load it, ` +
        'or unset SANDBOX_IMAGE to use the built-in image',
    );
  }
  log(`the sandbox image ${image} is missing: building it now (this takes a minute or two, once)`);
  await buildImage(docker, image, log);
  return 'built';
}
