import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI as `npx sandpiper` runs it: the built code (`npm run build` first). */
export const BIN = fileURLToPath(new URL('../../bin/sandpiper.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Killed (SIGKILL) past this, so a hung command fails its test instead of outliving it. */
  timeoutMs?: number;
}

/** Runs the built CLI as a user would, with optional stdin and env. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return run(process.execPath, [BIN, ...args], options);
}

/** Runs any program to its end, collecting its output. */
export function run(file: string, args: string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
