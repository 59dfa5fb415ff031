import { describe, expect, it } from 'vitest';
import { HOW_TO, interpret, type Intake } from '../../src/intake.js';
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
