import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerService } from '../../src/service/start.js';
import { b64, postJson, startService } from '../support/runner-service.js';
import { BUILT_IN_PYTHONS, leftovers, makeSandbox, RecordingLog } from '../support/sandbox.js';

/** snekbox's tests/test_integration.py, and the native API, on the real sandbox (runc). */
const sandbox = makeSandbox(new RecordingLog(), {}, { pythons: BUILT_IN_PYTHONS, poolSize: 2 });
let service: RunnerService;
let url: string;

beforeAll(async () => {
  service = await startService(sandbox);
  url = service.url;
});
afterAll(async () => {
  await service.close();
  expect(await leftovers(sandbox)).toEqual([]);
});

const dedent = (text: string) => text.replace(/^\n/, '').replace(/^ {6}/gm, '').trimEnd();

describe('snekbox tests/test_integration.py', () => {
  it('test_eval', async () => {
    for (const [body, stdout] of [
      [{ input: "print('Hello')" }, 'Hello\n'],
      [{ args: ['-c', "print('abc12')"] }, 'abc12\n'],
    ] as const) {
      const answer = await postJson(`${url}/eval`, body);
      expect([answer.status, answer.body]).toEqual([200, { stdout, returncode: 0, files: [] }]);
    }
  });

  it('test_files_send_receive: main.py imports a package sent alongside; the files it writes come back', async () => {
    const main = dedent(`
      from pathlib import Path
      from mod import lib
      print(lib.var)

      with open('test.txt', 'w') as f:
          f.write('test 1')

      Path('dir').mkdir()
      Path('dir/test2.txt').write_text('test 2')
    `);
    const answer = await postJson(`${url}/eval`, {
      args: ['main.py'],
      files: [{ path: 'main.py', content: b64(main) }, { path: 'mod/__init__.py' }, { path: 'mod/lib.py', content: b64("var = 'hello'") }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      stdout: 'hello\n',
      returncode: 0,
      files: [
        { path: 'dir/test2.txt', size: 6, content: b64('test 2') },
        { path: 'test.txt', size: 6, content: b64('test 1') },
      ],
    });
  });

  it('test_memory_limit_separate_per_process: three runs of 33 MB at once each fit their own limit', async () => {
    const code = "import time; ' ' * 33000000; time.sleep(0.1)";
    const answers = await Promise.all([1, 2, 3].map(() => postJson(`${url}/eval`, { args: ['-c', code] })));
    expect(answers.map(({ status, body }) => [status, body.returncode])).toEqual([[200, 0], [200, 0], [200, 0]]);
  });

  it('test_alternate_executable_support: executable_path picks the Python', async () => {
    const input = "import sys; print('.'.join(map(str, sys.version_info[:2])))";
    for (const [executable_path, stdout] of [
      [undefined, '3.13\n'], // the default: SANDBOX_PYTHONS' first
      ['/snekbin/python/3.13/bin/python', '3.13\n'],
      ['/snekbin/python/3.14/bin/python', '3.14\n'],
      ['/usr/bin/python3.11', '3.11\n'],
    ] as const) {
      const answer = await postJson(`${url}/eval`, { input, ...(executable_path ? { executable_path } : {}) });
      expect([answer.status, answer.body.stdout], executable_path).toEqual([200, stdout]);
    }
  });
});

describe('return codes and the native API on the real sandbox', () => {
  it('a timeout is 137, SystemExit(3) is 3, with what was printed before it', async () => {
    const slept = await postJson(`${url}/eval`, { input: 'import time; time.sleep(30)' });
    expect(slept.body).toEqual({ stdout: '', returncode: 137, files: [] });
    const raised = await postJson(`${url}/eval`, { input: "print('before'); raise SystemExit(3)" });
    expect(raised.body).toEqual({ stdout: 'before\n', returncode: 3, files: [] });
  });

  it('POST /v1/runs round trip: stdin, an input file, a written file, the Python asked for', async () => {
    const code = "data = open('in.txt').read(); open('out.txt', 'w').write(data.upper()); print(input(), data)";
    const answer = await postJson(`${url}/v1/runs`, { code, stdin: 'Ada\n', python: '3.14', files: [{ name: 'in.txt', content: b64('abc') }] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'ok',
      exitCode: 0,
      signal: null,
      output: 'Ada abc\n',
      files: [{ name: 'out.txt', size: 3, content: b64('ABC') }],
      filesLeftOut: {},
    });
    expect(answer.body.python).toMatch(/^3\.14\.\d+$/);
  });
});
