import Docker from 'dockerode';
import { parseArgs } from 'node:util';
import { buildImage } from '../../sandbox/image/build.js';
import { inspectImage } from '../../sandbox/image/ensure.js';
import { listVersions, PYTHON_RECIPES, pythonRecipe, type PythonRecipe } from '../../sandbox/image/pythons.js';
import { builtInImage, builtInRecipe, IMAGE_REPOSITORY } from '../../sandbox/image/recipe.js';
import { loadConfig } from '../config.js';
import { UsageError, type CommandHelp } from './usage.js';

const VERSIONS = listVersions(PYTHON_RECIPES.map((python) => python.version));

export const imageHelp: CommandHelp = {
  synopsis: 'image build [--python X.Y]... [--force] [--tag T]',
  summary: 'build the sandbox images (offline with debootstrap if need be)',
  details: `Builds sandbox/image/ for each Python offered (SANDBOX_PYTHONS; ${VERSIONS} have built-in
images): from its Dockerfile when the version's official image can be pulled, else offline with
debootstrap from the version's Debian suite (as root). Skips an image of this recipe already built.

  --python X.Y   build this version (repeat for several) instead of those offered
  --force        build them all the same
  --tag T        tag the image T instead of ${IMAGE_REPOSITORY}:<version>-<hash of the recipe> (one version only)`,
};

/** The versions to build: those asked for, else those SANDBOX_PYTHONS offers with a built-in image. */
function versionsToBuild(asked: string[]): PythonRecipe[] {
  if (asked.length) {
    return asked.map((version) => {
      const recipe = pythonRecipe(version);
      if (!recipe) throw new UsageError(`image: --python ${version}: no built-in image for it; expected ${listVersions(PYTHON_RECIPES.map((python) => python.version), 'or')}`);
      return recipe;
    });
  }
  return loadConfig().sandbox.pythons.flatMap(({ image }) => builtInRecipe(image) ?? []);
}

/**
 * `sandpiper image build [--python X.Y]... [--tag T] [--force]`: builds the sandbox image of each
 * Python offered, one after the other. Skips an image of this recipe that already exists, unless --force.
 */
export async function imageCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      python: { type: 'string', multiple: true, default: [] },
      tag: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.join(' ') !== 'build') {
    throw new UsageError(positionals.length ? `image: unknown subcommand "${positionals.join(' ')}"` : 'image: missing subcommand (build)', true);
  }
  const pythons = versionsToBuild(values.python);
  if (!pythons.length) {
    process.stdout.write('SANDBOX_IMAGE is set, so no built-in image is used: --python X.Y builds one all the same\n');
    return 0;
  }
  if (values.tag && pythons.length > 1) {
    throw new UsageError(`image: --tag names one image, and ${pythons.length} versions would be built: add --python X.Y`);
  }
  const docker = new Docker();
  for (const python of pythons) {
    const tag = values.tag ?? builtInImage(python.version);
    const status = await inspectImage(docker, tag);
    if (status.present && status.current !== false && !values.force) {
      process.stdout.write(`${tag} (Python ${status.python ?? python.version}) is already built (${status.builtWith ?? 'unknown method'}); --force rebuilds it\n`);
      continue;
    }
    const started = Date.now();
    const method = await buildImage(docker, python, tag, (line) => process.stderr.write(`  ${line}\n`));
    const built = await inspectImage(docker, tag);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stdout.write(`built ${tag} (Python ${built.python ?? python.version}, ${method}) in ${seconds} s\n`);
  }
  return 0;
}
