import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNSC_FLAGS } from '../sandbox/runsc.js';

/**
 * Registers gVisor's runsc as a Docker runtime in daemon.json, with the flags sandboxes need
 * (sandbox/runsc.ts), for scripts/setup.sh: merged into what the file already holds (other
 * settings, other runtimes, runsc flags of the operator's own are kept), and written only when
 * something changes, so a running dockerd is reloaded only then.
 *
 *   node dist/scripts/daemon-json.js FILE RUNSC_PATH [--check]
 *   node dist/scripts/daemon-json.js --flags
 *
 * prints `changed` or `unchanged`; with --check it writes nothing (what setup does without root).
 * --flags prints the flags runsc must have, for setup to check that dockerd has reloaded them.
 */

type Json = Record<string, unknown>;

export function registerRunsc(file: string, runscPath: string, write: boolean): 'changed' | 'unchanged' {
  const config = readConfig(file);
  const runtimes = config.runtimes ?? {};
  if (!isObject(runtimes)) throw new Error(`"runtimes" in ${file} is not an object: fix it by hand`);
  const old = isObject(runtimes.runsc) ? runtimes.runsc : {};
  const args: unknown[] = Array.isArray(old.runtimeArgs) ? old.runtimeArgs : [];
  const runsc = { ...old, path: runscPath, runtimeArgs: [...args, ...RUNSC_FLAGS.filter((flag) => !args.includes(flag))] };
  if (JSON.stringify(runsc) === JSON.stringify(runtimes.runsc)) return 'unchanged';
  if (write) {
    mkdirSync(dirname(file), { recursive: true });
    // dockerd may read the file at any moment (a HUP, a restart): never let it see half of it.
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...config, runtimes: { ...runtimes, runsc } }, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
  return 'changed';
}

function readConfig(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if (!text.trim()) return {};
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}): fix it by hand, then run setup again`);
  }
  if (!isObject(config)) throw new Error(`${file} does not hold a JSON object: fix it by hand, then run setup again`);
  return config;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, runscPath, flag] = process.argv.slice(2);
  if (file === '--flags' && runscPath === undefined) {
    process.stdout.write(`${RUNSC_FLAGS.join(' ')}\n`);
    process.exit(0);
  }
  if (!file || !runscPath || (flag !== undefined && flag !== '--check')) {
    process.stderr.write('usage: node dist/scripts/daemon-json.js FILE RUNSC_PATH [--check] | --flags\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${registerRunsc(file, runscPath, flag !== '--check')}\n`);
  } catch (error) {
    process.stderr.write(`setup: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
