import { readFileSync } from 'node:fs';
import { imageAsset } from './recipe.js';

/**
 * The names in packages.txt's first column (the PyPI names), in order: what the built-in image
 * has installed besides the standard library. Blank lines and # comments are skipped.
 */
export function packageNames(packagesTxt: string): string[] {
  return packagesTxt
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(/\s+/, 1)[0] ?? line);
}

/** The packages of the image built from this checkout's recipe (not of a custom SANDBOX_IMAGE). */
export function builtInPackages(): string[] {
  return packageNames(readFileSync(imageAsset('packages.txt'), 'utf8'));
}
