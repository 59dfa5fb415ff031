import { readFileSync } from 'node:fs';
import { sandboxAsset } from './assets.js';

const source = (path: string) => readFileSync(path, 'utf8');

/**
 * How a sandbox's Python gets the code it runs. Its command line holds only a small loader
 * (loader.py); the bootstrap and program.py come first on stdin, before any request, each as 10
 * digits of length then the source. Docker keeps a container's command line in its config, which
 * it re-encodes and writes at every state change, and hands it on to the runtime: 15 KB of sources
 * there cost the engine ~20 ms of CPU per container, 7 % of the host's throughput in an A/B run
 * (docs/performance.md). On stdin they cost a copy.
 */
export const BOOT_COMMAND: readonly string[] = ['python3', '-u', '-c', source(sandboxAsset('loader.py'))];

function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(String(bytes.length).padStart(10, '0'), 'ascii'), bytes]);
}

/** The bootstrap, then program.py: written to stdin as soon as the container has started. */
export const BOOT_FRAME: Buffer = Buffer.concat([
  lengthPrefixed(source(sandboxAsset('bootstrap.py'))),
  lengthPrefixed(source(sandboxAsset('program.py'))),
]);
