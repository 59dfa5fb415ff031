import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunInput } from '../../sandbox/request.js';
import type { RunnerService } from '../../src/service/start.js';
import { FakeSandbox } from '../support/fake-sandbox.js';
import { call, postJson, startService } from '../support/runner-service.js';

/**
 * snekbox's tests/api/test_eval.py, case for case, over real HTTP. As there, the sandbox is a
 * stand-in whose every run prints "output" and exits 0; what it was asked to run is checked too.
 */
const sandbox = new FakeSandbox(() => ({ output: 'output' }));
let service: RunnerService;
let url: string;
let calls: RunInput[];

beforeAll(async () => {
  service = await startService(sandbox);
  url = `${service.url}/eval`;
});
afterAll(() => service.close());
beforeEach(() => {
  sandbox.calls.length = 0;
  calls = sandbox.calls;
});

describe('snekbox tests/api/test_eval.py', () => {
  it('test_post_valid_200: input, args, or both; input is appended to args (default ["-c"])', async () => {
    const cases: [object, string[]][] = [
      [{ args: ['-c', "print('output')"] }, ['-c', "print('output')"]],
      [{ input: "print('hello')" }, ['-c', "print('hello')"]],
      [{ input: "print('hello')", args: ['-c'] }, ['-c', "print('hello')"]],
      [{ input: "print('hello')", args: [''] }, ['', "print('hello')"]],
      [{ input: 'pass', args: ['-m', 'timeit'] }, ['-m', 'timeit', 'pass']],
    ];
    for (const [body, argv] of cases) {
      const answer = await postJson(url, body);
      expect(answer.status, JSON.stringify(body)).toBe(200);
      expect(answer.body).toEqual({ stdout: 'output', returncode: 0, files: [] });
      expect(calls.at(-1)).toEqual({ code: '', argv });
    }
  });

  it('test_post_invalid_schema_400: neither input nor args', async () => {
    const answer = await postJson(url, { stuff: 'foo' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      title: 'Request data failed validation',
      description: "{'stuff': 'foo'} is not valid under any of the given schemas",
    });
  });

  it('test_post_invalid_data_400: wrong types, worded as jsonschema words them', async () => {
    const cases: [object, string][] = [
      [{ args: 400 }, "400 is not of type 'array'"],
      [{ args: [], files: [215] }, "215 is not of type 'object'"],
    ];
    for (const [body, description] of cases) {
      const answer = await postJson(url, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ title: 'Request data failed validation', description });
    }
    expect(calls).toEqual([]);
  });

  it('test_files_path: relative paths are fine, normalized posix-style; backslashes are plain characters', async () => {
    const cases: [string, string][] = [
      ['file.txt', 'file.txt'],
      ['./0.jpg', '0.jpg'],
      ['path/to/file', 'path/to/file'],
      ['folder/../hm', 'hm'],
      ['folder/./to/./somewhere', 'folder/to/somewhere'],
      ['traversal/but/../not/beyond/../root', 'traversal/not/root'],
      ['backslash\\\\okay', 'backslash\\\\okay'],
      ['backslash\\okay', 'backslash\\okay'],
      ['numbers/0123456789', 'numbers/0123456789'],
    ];
    for (const [path, name] of cases) {
      const answer = await postJson(url, { args: ['test.py'], files: [{ path }] });
      expect(answer.status, path).toBe(200);
      expect(answer.body).toMatchObject({ stdout: 'output', returncode: 0 });
      expect(calls.at(-1)).toEqual({ code: '', argv: ['test.py'], files: [{ name, bytes: new Uint8Array() }] });
    }
  });

  it('test_files_illegal_path_traversal: a path beyond the root is refused', async () => {
    for (const path of ['../secrets', '../../dir', 'dir/../../secrets', 'dir/var/../../../file']) {
      const answer = await postJson(url, { args: ['test.py'], files: [{ path }] });
      expect(answer.status, path).toBe(400);
      expect(answer.body).toEqual({ title: 'Request file is invalid', description: `File path '${path}' may not traverse beyond root` });
    }
    expect(calls).toEqual([]);
  });

  it('test_files_illegal_path_absolute: fails schema validation', async () => {
    for (const path of ['/', '/etc', '/etc/vars/secrets', '/absolute', '/file.bin']) {
      const answer = await postJson(url, { args: ['test.py'], files: [{ path }] });
      expect(answer.status, path).toBe(400);
      expect(answer.body.title).toBe('Request data failed validation');
      expect(answer.body.description).toContain('does not match');
    }
  });

  it('test_files_illegal_path_null_byte: `\\0` (and a real NUL) fails schema validation', async () => {
    // snekbox's raw strings: the two characters backslash and zero.
    for (const path of ['etc/passwd\\0', 'a\\0b', '\\0', '\\\\0', 'var/\\0/path', 'a\0b']) {
      const answer = await postJson(url, { args: ['test.py'], files: [{ path }] });
      expect(answer.status, path).toBe(400);
      expect(answer.body.title).toBe('Request data failed validation');
      expect(answer.body.description).toContain('does not match');
    }
    expect((await postJson(url, { args: ['test.py'], files: [{ path: '/etc' }] })).body.description).toBe(
      String.raw`'/etc' does not match '^(?!/)(?!.*\\\\0).*$'`,
    );
  });

  it('test_post_invalid_content_type_415', async () => {
    const answer = await call(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: "{'input': 'foo'}" });
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({ title: '415 Unsupported Media Type', description: 'application/xml is an unsupported media type.' });
  });

  it('test_disallowed_method_405', async () => {
    const answer = await call(url);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it('test_options_allow_post_only', async () => {
    const answer = await call(url, { method: 'OPTIONS' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('allow')).toBe('POST');
  });
});

describe('POST /eval beyond snekbox’s own cases', () => {
  it('decodes file contents from base64 (none: an empty file) and refuses bad base64', async () => {
    const ok = await postJson(url, { args: ['main.py'], files: [{ path: 'main.py', content: 'cHJpbnQoMSk=' }, { path: 'mod/__init__.py' }] });
    expect(ok.status).toBe(200);
    expect(calls.at(-1)!.files).toEqual([
      { name: 'main.py', bytes: new Uint8Array(Buffer.from('print(1)')) },
      { name: 'mod/__init__.py', bytes: new Uint8Array() },
    ]);
    const bad = await postJson(url, { args: ['main.py'], files: [{ path: 'main.py', content: 'not base64!' }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ title: 'Request file is invalid', description: "Invalid base64 encoding for file 'main.py'" });
  });

  it("refuses what the sandbox can't take in: dot-names, too many files, duplicates", async () => {
    const refused = async (files: object[]) => (await postJson(url, { args: ['x.py'], files })).body;
    expect(await refused([{ path: '.env' }])).toEqual({
      title: 'Request file is invalid',
      description: '".env" can\'t be a file name here: use a plain name (or folder/name), with no part starting with a dot',
    });
    expect(await refused(Array.from({ length: 11 }, (_, i) => ({ path: `f${i}` })))).toEqual({
      title: 'Request file is invalid',
      description: '11 files are attached, over the limit of 10',
    });
    expect((await refused([{ path: 'a' }, { path: './a' }])).description).toBe('two files are called "a"');
    expect(calls).toEqual([]);
  });

  it('words other schema problems as jsonschema does, the shallowest first', async () => {
    const cases: [unknown, string][] = [
      [[1, 2], "[1, 2] is not of type 'object'"],
      [{ input: 5, files: [7] }, "5 is not of type 'string'"],
      [{ args: ['-c', null] }, "None is not of type 'string'"],
      [{ args: [], files: [{ content: 'x' }] }, "'path' is a required property"],
      [{ args: [], files: [{ path: 'a', content: true }] }, "True is not of type 'string'"],
      [{ files: [], more: "it's" }, `{'files': [], 'more': "it's"} is not valid under any of the given schemas`],
    ];
    for (const [body, description] of cases) {
      expect((await postJson(url, body)).body, JSON.stringify(body)).toEqual({ title: 'Request data failed validation', description });
    }
  });

  it('takes extra properties, and JSON with a charset', async () => {
    const answer = await postJson(url, { input: 'pass', extra: 1 }, { 'content-type': 'application/json; charset=utf-8' });
    expect(answer.status).toBe(200);
  });

  it('executable_path picks an offered Python by the X.Y in it; any other is refused', async () => {
    const picked = async (path: string) => {
      const answer = await postJson(url, { input: 'pass', executable_path: path });
      return answer.status === 200 ? calls.at(-1)!.python : answer.body;
    };
    expect(await picked('/snekbin/python/3.14/bin/python')).toBe('3.14');
    expect(await picked('/usr/bin/python3.11')).toBe('3.11');
    expect(await picked('')).toBeUndefined(); // the default, as snekbox takes an empty one
    for (const path of ['/snekbin/python/3.12/bin/python', '/snekbin/python/3.14t/bin/python', '/abc/def', '/usr/bin/python3']) {
      expect(await picked(path), path).toEqual({ title: 'executable_path does not exist' });
    }
  });

  it('answers bad JSON and other methods as falcon does', async () => {
    const broken = await call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.title).toBe('Invalid JSON');
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const answer = await call(url, { method });
      expect([answer.status, answer.headers.get('allow'), answer.body]).toEqual([405, 'POST', { title: '405 Method Not Allowed' }]);
    }
  });
});
