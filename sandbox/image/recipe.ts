import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sandboxAsset } from '../assets.js';

/** The files that define the sandbox image. Changing any of them changes the image tag. */
export const RECIPE_FILES = ['Dockerfile', 'packages.txt', 'build-offline.sh', 'sandpiper_plots.py'] as const;

export const IMAGE_REPOSITORY = 'sandpiper-python';
/** Image label holding the recipe hash, so `doctor` can tell a current image from a stale one. */
export const LABEL_RECIPE = 'sandpiper.recipe';
/** Image label saying which way it was built: `dockerfile` or `offline`. */
export const LABEL_BUILD = 'sandpiper.build';

export function imageAsset(name: string): string {
  return sandboxAsset('image', name);
}

/** A short hash of the recipe: a changed recipe gets a new tag and is rebuilt, never reused. */
export function recipeHash(): string {
  const hash = createHash('sha256');
  for (const name of RECIPE_FILES) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(imageAsset(name)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** The tag of the image built from this checkout's recipe. */
export function defaultImageTag(): string {
  return `${IMAGE_REPOSITORY}:${recipeHash()}`;
}

/** The base image the Dockerfile starts from. */
export function dockerfileBase(): string {
  const from = /^FROM\s+(\S+)/m.exec(readFileSync(imageAsset('Dockerfile'), 'utf8'));
  if (!from?.[1]) throw new Error('sandbox/image/Dockerfile has no FROM line');
  return from[1];
}

/** The Dockerfile's ENV lines: the offline build applies the same ones when it imports the image. */
export function dockerfileEnv(): string[] {
  return readFileSync(imageAsset('Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => /^ENV\s/.test(line));
}
