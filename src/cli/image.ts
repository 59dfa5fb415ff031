import Docker from 'dockerode';
import { parseArgs } from 'node:util';
import { buildImage } from '../../sandbox/image/build.js';
import { inspectImage } from '../../sandbox/image/ensure.js';
import { defaultImageTag, IMAGE_REPOSITORY } from '../../sandbox/image/recipe.js';
import { UsageError, type CommandHelp } from './usage.js';

export const imageHelp: CommandHelp = {
  synopsis: 'image build [--force] [--tag T]',
  summary: 'build the sandbox image (offline with debootstrap if need be)',
  details: `Builds sandbox/image/: from its Dockerfile when the base image can be pulled, else offline
with debootstrap (as root). Skipped when an image of this recipe is already built.

  --force   build it all the same
  --tag T   tag it T instead of ${IMAGE_REPOSITORY}:<hash of the recipe>`,
};

/**
 * `sandpiper image build [--tag T] [--force]`: builds the sandbox image from sandbox/image/
 * (Dockerfile when its base can be pulled, else offline with debootstrap). Skips the build when an
 * image of this recipe already exists, unless --force.
 */
export async function imageCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      tag: { type: 'string', default: defaultImageTag() },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.join(' ') !== 'build') {
    throw new UsageError(positionals.length ? `image: unknown subcommand "${positionals.join(' ')}"` : 'image: missing subcommand (build)', true);
  }
  const docker = new Docker();
  const tag = values.tag;
  const status = await inspectImage(docker, tag);
  if (status.present && status.current !== false && !values.force) {
    process.stdout.write(`${tag} is already built (${status.builtWith ?? 'unknown method'}); --force rebuilds it\n`);
    return 0;
  }
  const started = Date.now();
  const method = await buildImage(docker, tag, (line) => process.stderr.write(`  ${line}\n`));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(`built ${tag} (${method}) in ${seconds} s\n`);
  return 0;
}
