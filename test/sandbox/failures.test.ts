import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxRuntime } from '../../sandbox/limits.js';
import { leftovers, makeRunner } from '../support/sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'sandpiper-sockets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function clientAt(socketPath: string): Docker {
  return new Docker({ socketPath });
}

/** A Unix socket file with nobody listening: what a stopped dockerd leaves behind. */
function staleSocket(): string {
  const path = join(dir, 'stale.sock');
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)})`]);
  return path;
}

/** A socket that accepts connections and never answers: a hung engine. */
async function hungSocket(): Promise<[string, Server]> {
  const path = join(dir, 'hung.sock');
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return [path, server];
}

describe('sandbox failures become sandbox_error results, never hangs or crashes', () => {
  it('the Docker socket is missing', async () => {
    const runner = makeRunner('runc', {}, {}, clientAt(join(dir, 'missing.sock')));
    const result = await runner.run({ code: 'print(1)' });
    expect(result.status).toBe('sandbox_error');
    expect(result.reason).toMatch(/Docker is not reachable at .*missing\.sock \(ENOENT\): start the Docker engine/);
    expect(result).toMatchObject({ exitCode: null, output: '', durationMs: 0 });
  });

  it('Docker is stopped (a stale socket)', async () => {
    const runner = makeRunner('runc', {}, {}, clientAt(staleSocket()));
    const result = await runner.run({ code: 'print(1)' });
    expect(result.status).toBe('sandbox_error');
    expect(result.reason).toMatch(/Docker is not reachable .*\(ECONNREFUSED\)/);
  });

  it('Docker accepts connections but never answers', async () => {
    const [path, server] = await hungSocket();
    try {
      const runner = makeRunner('runc', {}, { launchTimeoutMs: 500 }, clientAt(path));
      const started = Date.now();
      const result = await runner.run({ code: 'print(1)' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(result.status).toBe('sandbox_error');
      expect(result.reason).toMatch(/did not start a sandbox within 0.5 s: is the Docker engine hung/);
    } finally {
      server.close();
    }
  });

  it('the image is missing, and the reason says how to get it', async () => {
    const runner = makeRunner('runc', {}, { pythons: [{ version: null, image: 'sandpiper-python:does-not-exist' }] });
    const result = await runner.run({ code: 'print(1)' });
    expect(result.status).toBe('sandbox_error');
    // Not the built-in image's tag: it is the operator's to provide.
    expect(result.reason).toBe(
      'the sandbox image sandpiper-python:does-not-exist (SANDBOX_IMAGE) is missing: ' +
        'build or load it, or unset SANDBOX_IMAGE to use the built-in images',
    );
    expect(await leftovers(runner)).toEqual([]);
  });

  it('the runtime is not registered with Docker', async () => {
    const runner = makeRunner('kata' as SandboxRuntime);
    const result = await runner.run({ code: 'print(1)' });
    expect(result.status).toBe('sandbox_error');
    expect(result.reason).toMatch(/the container runtime "kata" is not registered with Docker/);
    await runner.drain();
    expect(await leftovers(runner)).toEqual([]);
  });

  it('oversized code is refused before any container is made (no Docker needed)', async () => {
    const runner = makeRunner('runc', {}, {}, clientAt(join(dir, 'missing.sock')));
    const result = await runner.run({ code: '#'.repeat(64 * 1024 + 1) });
    expect(result.status).toBe('sandbox_error');
    expect(result.reason).toBe('the code is 65 KiB, over the 64 KiB limit');
  });
});
