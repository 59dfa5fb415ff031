import { readFileSync } from 'node:fs';
import type { PythonImage } from './pythons.js';
import { builtInRecipe, imageAsset } from './recipe.js';

/** One line of packages.txt: a package the built-in image has besides the standard library. */
export interface CuratedPackage {
  /** The PyPI name: what pip installs, and what users are told. */
  name: string;
  /** Debian's package of it, for the offline build. */
  debian: string;
  /** The top-level module to import. */
  module: string;
}

/**
 * packages.txt's lines, in order: three columns (PyPI name, Debian package, module). Blank lines and
 * # comments are skipped; a line without its three columns is a broken recipe, and says which.
 */
export function parsePackages(packagesTxt: string): CuratedPackage[] {
  return packagesTxt
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [name, debian, module, extra] = line.split(/\s+/);
      if (!name || !debian || !module || extra !== undefined) {
        throw new Error(`packages.txt: "${line}" should be three columns: PyPI name, Debian package, module`);
      }
      return { name, debian, module };
    });
}

/** The packages of the image built from this checkout's recipe (not of a custom SANDBOX_IMAGE). */
export function curatedPackages(): CuratedPackage[] {
  return parsePackages(readFileSync(imageAsset('packages.txt'), 'utf8'));
}

/** The packages offered besides the standard library, when every Python offered is a built-in image; unknown (undefined) for a custom one. */
export function builtInPackagesOf(pythons: readonly PythonImage[]): string[] | undefined {
  return pythons.every(({ image }) => builtInRecipe(image)) ? builtInPackages() : undefined;
}

/** Their PyPI names, in order: what the built-in image has installed besides the standard library. */
export function builtInPackages(): string[] {
  return curatedPackages().map((found) => found.name);
}
