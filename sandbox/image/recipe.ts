import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sandboxAsset } from '../assets.js';
import { PYTHON_RECIPES, pythonRecipe, type PythonRecipe } from './pythons.js';

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

/**
 * A short hash of one version's recipe (the files and where its Python comes from): a changed
 * recipe gets a new tag and is rebuilt, never reused.
 */
export function recipeHash(python: PythonRecipe): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(python));
  for (const name of RECIPE_FILES) {
    hash.update(`\0${name}\0`);
    hash.update(readFileSync(imageAsset(name)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The tag of the image built from this checkout's recipe for that Python version: sandpiper-python:3.13-<hash>. */
export function builtInImage(version: string): string {
  const python = pythonRecipe(version);
  if (!python) throw new Error(`Python ${version} has no built-in image`);
  return `${IMAGE_REPOSITORY}:${version}-${recipeHash(python)}`;
}

/** The recipe an image tag was built from, when it is one of this checkout's built-in images. */
export function builtInRecipe(image: string): PythonRecipe | undefined {
  return PYTHON_RECIPES.find((python) => builtInImage(python.version) === image);
}

/** The Dockerfile's ENV lines: the offline build applies the same ones when it imports the image. */
export function dockerfileEnv(): string[] {
  return readFileSync(imageAsset('Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => /^ENV\s/.test(line));
}
