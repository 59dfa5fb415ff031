import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openSandbox } from '../sandbox.js';
import { runResultJson, type RunFile, type RunResult } from '../../sandbox/result.js';
import { refusePython } from '../../sandbox/image/pythons.js';
import type { RunInput } from '../../sandbox/request.js';
import { attachmentName } from '../render-files.js';
import { saveFiles } from '../saved-files.js';
import { UsageError } from './usage.js';

interface Input {
  name: string;
  code: string;
}

async function readInputs(paths: string[]): Promise<Input[]> {
  const sources = paths.length ? paths : ['-'];
  const stdinUses = sources.filter((path) => path === '-').length;
  if (stdinUses > 1) throw new UsageError('eval: stdin (-) can be given only once');
  return Promise.all(
    sources.map(async (path) =>
      path === '-'
        ? { name: '<stdin>', code: await readStdin() }
        : { name: basename(path), code: await readFile(path, 'utf8').catch(() => missing(path)) },
    ),
  );
}

/** `--file PATH`s, each under its base name. */
async function readFiles(paths: string[]): Promise<RunFile[]> {
  return Promise.all(paths.map(async (path) => ({ name: basename(path), bytes: await readFile(path).catch(() => missing(path)) })));
}

function missing(path: string): never {
  throw new UsageError(`eval: can't read ${path}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function summary(name: string, result: RunResult): string {
  const seconds = (result.durationMs / 1000).toFixed(2);
  const detail =
    result.status === 'sandbox_error'
      ? result.reason
      : result.signal
        ? `${result.signal} after ${seconds} s`
        : `exit ${result.exitCode} in ${seconds} s`;
  return `── ${name}: ${result.status} (${detail}${result.python ? `, Python ${result.python}` : ''})`;
}

/**
 * `sandpiper eval [--json] [--python X.Y] [--file PATH]... [--timeit [--setup CODE]] [FILE...|-]`: runs each input
 * through the same sandbox path as the bot, one after another. With --json, one RunResult per
 * line (JSON Lines) in input order. Exit code 0 when every run was ok, 1 otherwise.
 */
export async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      file: { type: 'string', multiple: true, default: [] },
      timeit: { type: 'boolean', default: false },
      setup: { type: 'string' },
      python: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.setup !== undefined && !values.timeit) throw new UsageError('eval: --setup goes with --timeit');
  const config = loadConfig();
  const { python } = values;
  const otherPython = python === undefined ? null : refusePython(python, config.sandbox.pythons);
  if (otherPython) throw new UsageError(`eval: --python ${python}: ${otherPython}`);
  const files = await readFiles(values.file);
  const inputs = await readInputs(positionals);
  const request = (code: string): RunInput => ({
    code,
    ...(files.length ? { files } : {}),
    ...(values.timeit ? { timeit: { setup: values.setup ?? '' } } : {}),
    ...(python ? { python } : {}),
  });
  const log = createLogger(config.logLevel ?? 'warn'); // stdout is for results; keep stderr quiet
  // The bot's path, pool included; but a pool larger than the work would only start idle sandboxes.
  const poolSize = Math.min(config.sandbox.poolSize, inputs.length - 1);
  // Only the Python asked for, which the pool then holds: no other image is needed.
  const pythons = config.sandbox.pythons.filter((offered) => (python ? offered.version === python : offered === config.sandbox.pythons[0]));
  const sandbox = openSandbox({ ...config.sandbox, pythons, poolSize }, log);
  let allOk = true;
  try {
    // As the bot starts: orphans reaped, the image built if missing. If that fails, it is logged
    // and each run below answers with a sandbox_error saying why.
    await sandbox.ready;
    for (const input of inputs) {
      const result = await sandbox.run(request(input.code));
      allOk &&= result.status === 'ok';
      if (values.json) {
        process.stdout.write(`${JSON.stringify(runResultJson(result))}\n`);
      } else {
        process.stdout.write(result.output);
        if (result.output && !result.output.endsWith('\n')) process.stdout.write('\n');
        const saved = await saveFiles(result.files.map(({ name, bytes }) => ({ name: attachmentName(name), data: bytes })));
        for (const line of [...saved, summary(input.name, result)]) process.stderr.write(`${line}\n`);
      }
    }
  } finally {
    await sandbox.close();
  }
  return allOk ? 0 : 1;
}
