import { describe, expect, it } from 'vitest';
import type { RunResult, RunStatus } from '../../sandbox/result.js';
import { isLoopbackHost, hasBearerToken } from '../../src/service/auth.js';
import { pythonRepr } from '../../src/service/python-repr.js';
import { normalizePath, snekboxReturnCode, versionInPath } from '../../src/service/snekbox.js';

const result = (status: RunStatus, exitCode: number | null, signal: string | null) => ({ status, exitCode, signal }) as RunResult;

describe('the snekbox translation (pure)', () => {
  it('reports return codes as snekbox does', () => {
    expect(snekboxReturnCode(result('ok', 0, null))).toBe(0);
    expect(snekboxReturnCode(result('error', 1, null))).toBe(1);
    expect(snekboxReturnCode(result('timeout', null, 'SIGKILL'))).toBe(137);
    expect(snekboxReturnCode(result('memory', null, 'SIGKILL'))).toBe(137);
    expect(snekboxReturnCode(result('killed', null, 'SIGXCPU'))).toBe(152);
    expect(snekboxReturnCode(result('killed', null, 'SIGSEGV'))).toBe(139);
    expect(snekboxReturnCode(result('output_limit', null, 'SIGKILL'))).toBe(143);
    expect(snekboxReturnCode(result('sandbox_error', null, null))).toBeNull();
  });

  it('normalizes paths posix-style, and says when one leaves the root', () => {
    expect(normalizePath('a//b/./c/')).toBe('a/b/c');
    expect(normalizePath('a/../../b')).toBeNull();
    expect(normalizePath('a\\..\\b')).toBe('a\\..\\b');
  });

  it('finds the offered X.Y in an interpreter path', () => {
    const offered = ['3.13', '3.14'];
    expect(versionInPath('/usr/local/bin/python3.14', offered)).toBe('3.14');
    expect(versionInPath('/opt/3.13.5/bin/python', offered)).toBeNull(); // a full version names no X.Y offered
    expect(versionInPath('/snekbin/python/3.14j/bin/python', offered)).toBeNull();
  });

  it("writes JSON values as Python's repr", () => {
    expect(pythonRepr({ a: [1, 2.5, true, null], "it's": 'say "hi"\n' })).toBe(`{'a': [1, 2.5, True, None], "it's": 'say "hi"\\n'}`);
    expect(pythonRepr(`both ' and "`)).toBe(`'both \\' and "'`);
  });
});

describe('auth (pure)', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('takes exactly the bearer token', () => {
    expect(hasBearerToken('Bearer secret-secret', 'secret-secret')).toBe(true);
    expect(hasBearerToken('bearer secret-secret', 'secret-secret')).toBe(true);
    expect(hasBearerToken('Bearer secret', 'secret-secret')).toBe(false);
    expect(hasBearerToken('Basic secret-secret', 'secret-secret')).toBe(false);
    expect(hasBearerToken(undefined, 'secret-secret')).toBe(false);
  });
});
