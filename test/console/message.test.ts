import { describe, expect, it } from 'vitest';
import { readMessage } from '../../adapters/console/message.js';
import { interpret } from '../../src/intake.js';

describe('readMessage: a terminal message is read as a DM, or as code after /run or /timeit', () => {
  it.each([
    'hello there',
    'try `print(42)` please',
    'Look at this:\n```py\nprint(1)\n```',
    'for i in range(3):\n    print(i)',
    '```js\nconsole.log(1)\n```',
  ])('reads %j as a DM would be read', (text) => {
    expect(readMessage(text)).toEqual(interpret(text, { explicit: true }));
  });

  it('runs what follows /run as the code itself, on its line or the next ones', () => {
    expect(readMessage('/run print(1)')).toEqual({ kind: 'run', code: 'print(1)' });
    expect(readMessage('/run import sys\nsys.exit(2)')).toEqual({ kind: 'run', code: 'import sys\nsys.exit(2)' });
    expect(readMessage('/run\nfor i in range(3):\n    print(i)')).toEqual({ kind: 'run', code: 'for i in range(3):\n    print(i)' });
  });

  it('takes blocks after /run as blocks, stdin included', () => {
    expect(readMessage('/run\n```py\nprint(input())\n```\n```stdin\nAda\n```')).toEqual({ kind: 'run', code: 'print(input())', stdin: 'Ada\n' });
  });

  it('times what follows /timeit: with several blocks, the first is the setup', () => {
    expect(readMessage('/timeit sum(range(100))')).toEqual({ kind: 'run', code: 'sum(range(100))', timeit: { setup: '' } });
    expect(readMessage('/timeit\n```py\nx = list(range(100))\n```\n```py\nsum(x)\n```')).toEqual({
      kind: 'run',
      code: 'sum(x)',
      timeit: { setup: 'x = list(range(100))' },
    });
    expect(readMessage('/timeit')).toMatchObject({ kind: 'notice', message: expect.stringMatching(/^That code is empty\. To time code/) });
    expect(readMessage('/timeitall x')).toEqual(interpret('/timeitall x', { explicit: true }));
  });

  it('runs or times in the Python version named right after /run or /timeit', () => {
    expect(readMessage('/run 3.14 print(1)')).toEqual({ kind: 'run', code: 'print(1)', python: '3.14' });
    expect(readMessage('/run 3.11\nimport sys\nprint(sys.version)')).toEqual({ kind: 'run', code: 'import sys\nprint(sys.version)', python: '3.11' });
    expect(readMessage('/timeit 3.14 sum(range(9))')).toEqual({ kind: 'run', code: 'sum(range(9))', timeit: { setup: '' }, python: '3.14' });
    expect(readMessage('/run 3.14')).toMatchObject({ kind: 'notice', message: expect.stringMatching(/^No code found\./) });
    expect(readMessage('/run 3.14*2')).toEqual({ kind: 'run', code: '3.14*2' });
  });

  it('says an empty /run is empty, and does not take /runner for /run', () => {
    expect(readMessage('/run')).toMatchObject({ kind: 'notice', message: expect.stringMatching(/^That code is empty\./) });
    expect(readMessage('/runner print(1)')).toEqual(interpret('/runner print(1)', { explicit: true }));
  });
});
