import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Non-code files the sandbox ships (the bootstrap, the image recipe) live in the source tree;
 * compiled code runs from dist/, so find them from the package root rather than from this file.
 */
function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Path of a file under the repository's sandbox/ folder. */
export function sandboxAsset(...parts: string[]): string {
  return join(PACKAGE_ROOT, 'sandbox', ...parts);
}
