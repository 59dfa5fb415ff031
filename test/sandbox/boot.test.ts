import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BOOT_COMMAND, BOOT_FRAME } from '../../sandbox/boot.js';
import { newNonce } from '../../sandbox/end-marker.js';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import { frameRequest } from '../../sandbox/request.js';
import { UP_SIGNAL } from '../../sandbox/up-signal.js';
import { DEFAULT_IMAGE } from '../support/sandbox.js';

/** BOOT_COMMAND in the default image, `chunks` written to its stdin (`pauseMs` apart), then EOF. */
function boot(chunks: Buffer[], pauseMs = 0): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['run', '--rm', '-i', '--network', 'none', DEFAULT_IMAGE, ...BOOT_COMMAND]);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString() });
    });
    void (async () => {
      for (const chunk of chunks) {
        child.stdin.write(chunk);
        if (pauseMs) await new Promise((done) => setTimeout(done, pauseMs));
      }
      child.stdin.end();
    })();
  });
}

/** `bytes` in pieces of `size`. */
const pieces = (bytes: Buffer, size: number) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

describe('booting a sandbox from stdin (sandbox/boot.ts)', () => {
  it('keeps the sources off the command line, which Docker stores and copies at every step', () => {
    expect(Buffer.byteLength(BOOT_COMMAND.join(' '))).toBeLessThan(1024);
    expect(BOOT_FRAME.length).toBeGreaterThan(10_000); // the bootstrap and program.py
  });

  it('runs a request that follows the bootstrap, however the bytes are split on the way', async () => {
    const nonce = newNonce();
    const request = frameRequest({ code: 'print(6 * 7)' }, nonce, DEFAULT_LIMITS.files);
    const { code, stdout } = await boot(pieces(Buffer.concat([BOOT_FRAME, request]), 4096), 5);
    expect(code).toBe(0);
    expect(stdout).toContain('42\n');
    expect(stdout).toContain(`\0sandpiper:${nonce}:000:`);
  });

  it('ends quietly when stdin closes before the bootstrap or before a request: a pre-started sandbox discarded', async () => {
    for (const input of [[], [BOOT_FRAME.subarray(0, 100)], [BOOT_FRAME]]) {
      const { code, stdout, stderr } = await boot(input);
      expect({ code, stdout: stdout.replace(UP_SIGNAL.toString('latin1'), ''), stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });
});
