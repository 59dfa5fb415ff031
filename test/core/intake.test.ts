import { describe, expect, it } from 'vitest';
import { HOW_TO, inPython, interpret, leadingCommand, readCode, readCommand, TIMEIT_HOW_TO, type CommandWords, type Intake } from '../../src/intake.js';
import type { ExtractOptions } from '../../src/snippet.js';

const F = '```';
// A DM, a mention and a terminal chat message are all read this way.
const ADDRESSED: ExtractOptions = { explicit: true };
const PASSIVE: ExtractOptions = { explicit: false };
const RUN: ExtractOptions = { explicit: true, raw: true };

const notice = (intake: Intake): string => {
  expect(intake.kind).toBe('notice');
  return intake.kind === 'notice' ? intake.message : '';
};

describe('interpret', () => {
  it('runs the code, with its stdin', () => {
    expect(interpret(`${F}py\nprint(input())\n${F}\n${F}stdin\n42\n${F}`, PASSIVE)).toEqual({
      kind: 'run',
      code: 'print(input())',
      stdin: '42\n',
    });
    expect(interpret('`print(1)`', ADDRESSED)).toEqual({ kind: 'run', code: 'print(1)' });
  });

  it('a plain sentence addressed to the bot (a DM, the terminal chat) gets the how-to', () => {
    expect(notice(interpret('hello, what can you do?', ADDRESSED))).toBe(`No code found. ${HOW_TO}`);
  });

  it('the how-to names every way to send code, each with its shape', () => {
    expect(HOW_TO).toContain('```py, a new line, your code, a new line, ```');
    expect(HOW_TO).toContain('`print(2 + 2)`');
    expect(HOW_TO).toContain('/run print(2 + 2)');
  });

  it('the way the how-to shows runs', () => {
    expect(interpret(`${F}py\nprint(2 + 2)\n${F}`, ADDRESSED)).toMatchObject({ kind: 'run', code: 'print(2 + 2)' });
    expect(interpret('like `print(2 + 2)`', ADDRESSED)).toMatchObject({ kind: 'run', code: 'print(2 + 2)' });
    expect(interpret('print(2 + 2)', RUN)).toMatchObject({ kind: 'run', code: 'print(2 + 2)' });
  });

  it('talk near the bot is ignored', () => {
    expect(interpret('hello there', PASSIVE)).toEqual({ kind: 'ignore' });
  });

  it('input but no code: says so, and where the code goes', () => {
    for (const options of [ADDRESSED, RUN]) {
      const message = notice(interpret(`${F}stdin\n42\n${F}`, options));
      expect(message).toMatch(/^That message has input \(a ```stdin block\) but no code to run\. /);
      expect(message).toContain('```py, a new line, your code, a new line, ```');
      expect(message).not.toContain('empty');
    }
    expect(interpret(`${F}stdin\n42\n${F}`, PASSIVE)).toEqual({ kind: 'ignore' });
  });

  it('empty code', () => {
    expect(notice(interpret(`${F}py\n${F}`, PASSIVE))).toBe(`That code is empty. ${HOW_TO}`);
    expect(notice(interpret('  ', RUN))).toBe(`That code is empty. ${HOW_TO}`);
  });

  it('another language', () => {
    expect(notice(interpret(`${F}js\nconsole.log(1)\n${F}`, PASSIVE))).toBe(
      `Only Python can be run here, and that block is marked as js. ${HOW_TO}`,
    );
  });

  it('a console session runs its statements', () => {
    expect(interpret(`${F}pycon\n>>> print(1)\n1\n${F}`, PASSIVE)).toEqual({ kind: 'run', code: 'print(1)' });
  });
});

describe('interpret, timing (/timeit, !timeit)', () => {
  const TIMEIT = { ...RUN, timeit: true };

  it('times the code: with several blocks, the first is the setup', () => {
    expect(interpret(`${F}py\nx = [3, 1, 2]\n${F}\n${F}py\nsorted(x)\n${F}`, TIMEIT)).toEqual({
      kind: 'run',
      code: 'sorted(x)',
      timeit: { setup: 'x = [3, 1, 2]' },
    });
    expect(interpret('sum(range(10))', TIMEIT)).toEqual({ kind: 'run', code: 'sum(range(10))', timeit: { setup: '' } });
  });

  it('a run is never timed, and has no timeit property at all', () => {
    const twoBlocks = `${F}py\nx = 1\n${F}\n${F}py\nprint(x)\n${F}`;
    expect(interpret(twoBlocks, RUN)).toEqual({ kind: 'run', code: 'x = 1\nprint(x)' });
    expect(interpret(twoBlocks, { ...TIMEIT, timeit: false })).not.toHaveProperty('timeit');
  });

  it('notices say what timing needs: the same words, with the timeit how-to', () => {
    expect(notice(interpret('  ', TIMEIT))).toBe(`That code is empty. ${TIMEIT_HOW_TO}`);
    expect(notice(interpret(`${F}js\n1\n${F}`, TIMEIT))).toBe(`Only Python can be timed here, and that block is marked as js. ${TIMEIT_HOW_TO}`);
    expect(notice(interpret('hello', { explicit: true, timeit: true }))).toBe(`No code found. ${TIMEIT_HOW_TO}`);
    expect(notice(interpret(`${F}stdin\n42\n${F}`, TIMEIT))).toMatch(/^That message has input/);
  });

  it('the timeit how-to shows a one-liner and the setup rule, and what it shows times', () => {
    expect(TIMEIT_HOW_TO).toContain('/timeit sum(range(1000))');
    expect(TIMEIT_HOW_TO).toContain('the first is the setup');
    expect(interpret('sum(range(1000))', TIMEIT)).toMatchObject({ kind: 'run', timeit: { setup: '' } });
  });
});

describe('commands: a word opening a message, then the code', () => {
  const WORDS: CommandWords = { run: '!run', timeit: '!timeit' };

  it('reads what follows the word as that command\'s code', () => {
    expect(readCommand('!run print(1)', WORDS)).toEqual({ kind: 'run', code: 'print(1)' });
    expect(readCommand('!timeit sum(range(9))', WORDS)).toEqual({ kind: 'run', code: 'sum(range(9))', timeit: { setup: '' } });
    expect(readCommand(`  !timeit\n${F}py\nx = 2\n${F}\n${F}py\nx * x\n${F}`, WORDS)).toEqual({
      kind: 'run',
      code: 'x * x',
      timeit: { setup: 'x = 2' },
    });
    expect(readCommand(`!timeit${F}py\nx\n${F}`, WORDS)).toEqual({ kind: 'run', code: 'x', timeit: { setup: '' } });
  });

  it('is read as readCode reads the text after the word', () => {
    expect(readCommand('!timeit   ', WORDS)).toEqual(readCode('', 'timeit'));
    expect(readCommand('!run ```js\n1\n```', WORDS)).toEqual(readCode('```js\n1\n```', 'run'));
  });

  it('drops the spaces after the word, which would indent the first line of several', () => {
    expect(readCommand('!run  x = 1\nprint(x)', WORDS)).toEqual({ kind: 'run', code: 'x = 1\nprint(x)' });
  });

  it('takes a word only where it ends: "!runner" and "!timeitall" are no commands', () => {
    expect(readCommand('!runner print(1)', WORDS)).toBeUndefined();
    expect(readCommand('!timeitall x', WORDS)).toBeUndefined();
    expect(readCommand('say !run print(1)', WORDS)).toBeUndefined();
  });

  it('tries the longest word first, so a word that begins another cannot take its messages', () => {
    const overlapping: CommandWords = { run: '!t', timeit: '!t!' };
    expect(leadingCommand('!t! x', overlapping)).toEqual({ mode: 'timeit', code: 'x' });
    expect(leadingCommand('!t x', overlapping)).toEqual({ mode: 'run', code: 'x' });
  });
});

describe('commands: a Python version after the word', () => {
  const WORDS: CommandWords = { run: '!run', timeit: '!timeit' };

  it('takes a version right after the word, before code on the same line or a block on the next', () => {
    expect(readCommand('!run 3.14 print(1)', WORDS)).toEqual({ kind: 'run', code: 'print(1)', python: '3.14' });
    expect(readCommand(`!run 3.11\n${F}py\nprint(1)\n${F}`, WORDS)).toEqual({ kind: 'run', code: 'print(1)', python: '3.11' });
    expect(readCommand('!run\t3.14\tx = 1\nprint(x)', WORDS)).toEqual({ kind: 'run', code: 'x = 1\nprint(x)', python: '3.14' });
    expect(leadingCommand('!run 3.14 print(1)', WORDS)).toEqual({ mode: 'run', python: '3.14', code: 'print(1)' });
  });

  it('times in the version named: !timeit 3.11, setup and all', () => {
    expect(readCommand('!timeit 3.11 sum(range(9))', WORDS)).toEqual({ kind: 'run', code: 'sum(range(9))', timeit: { setup: '' }, python: '3.11' });
    expect(readCommand(`!timeit 3.14\n${F}py\nx = 2\n${F}\n${F}py\nx * x\n${F}`, WORDS)).toEqual({
      kind: 'run',
      code: 'x * x',
      timeit: { setup: 'x = 2' },
      python: '3.14',
    });
  });

  it('takes a version only as a word of its own: 3.14*2, 3.14.0, 3.14e0 and print(3.14) are code', () => {
    for (const code of ['3.14*2', '3.14.0', '3.14e0 + 1', 'print(3.14)', '3.14;print(1)', '2.7 print(1)']) {
      expect(readCommand(`!run ${code}`, WORDS)).toEqual({ kind: 'run', code });
    }
  });

  it('a lone number and a space is a version: `!run 3.14 * 2` runs `* 2` in 3.14 (which would show nothing anyway)', () => {
    expect(readCommand('!run 3.14 * 2', WORDS)).toEqual({ kind: 'run', code: '* 2', python: '3.14' });
  });

  it('a version without code: no code found, with the how-to (the timing one for !timeit)', () => {
    expect(notice(readCommand('!run 3.14', WORDS)!)).toBe(`No code found. ${HOW_TO}`);
    expect(notice(readCommand('!run 3.14  \n', WORDS)!)).toBe(`No code found. ${HOW_TO}`);
    expect(notice(readCommand('!timeit 3.14', WORDS)!)).toBe(`No code found. ${TIMEIT_HOW_TO}`);
  });

  it('a version not offered is still read: the evaluator refuses it, naming those that are', () => {
    expect(readCommand('!run 3.12 print(1)', WORDS)).toEqual({ kind: 'run', code: 'print(1)', python: '3.12' });
  });

  it("readCode reads a command's own text the same way (Slack's /run text, Discord's code option)", () => {
    expect(readCode('3.14 print(1)', 'run')).toEqual({ kind: 'run', code: 'print(1)', python: '3.14' });
    expect(readCode(' 3.11 sum(range(9))', 'timeit')).toEqual({ kind: 'run', code: 'sum(range(9))', timeit: { setup: '' }, python: '3.11' });
    expect(readCode('print(1)', 'run')).toEqual({ kind: 'run', code: 'print(1)' });
  });

  it('without a command word there is no version: a mention or a DM runs the default', () => {
    expect(interpret(`3.14 ${F}py\nprint(1)\n${F}`, ADDRESSED)).toEqual({ kind: 'run', code: 'print(1)' });
  });

  it('inPython runs the same code in another version (a button, an option); notices stay notices', () => {
    expect(inPython(readCommand('!run 3.11 print(1)', WORDS)!, '3.14')).toEqual({ kind: 'run', code: 'print(1)', python: '3.14' });
    expect(inPython(readCommand('!run 3.11 print(1)', WORDS)!, undefined)).toEqual({ kind: 'run', code: 'print(1)', python: '3.11' });
    const none = readCommand('!run 3.11', WORDS)!;
    expect(inPython(none, '3.14')).toBe(none);
  });
});
