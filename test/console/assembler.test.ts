import { describe, expect, it } from 'vitest';
import { MessageAssembler } from '../../adapters/console/assembler.js';

function feed(lines: string[]): (string | null)[] {
  const assembler = new MessageAssembler();
  return lines.map((line) => assembler.push(line));
}

describe('MessageAssembler', () => {
  it('sends a plain line at once', () => {
    expect(feed(['print(1)'])).toEqual(['print(1)']);
  });

  it('collects a fenced block, blank lines included, until it closes', () => {
    expect(feed(['look:', '```py', 'x = 1', '', 'print(x)', '```'])).toEqual([
      'look:',
      null,
      null,
      null,
      null,
      '```py\nx = 1\n\nprint(x)\n```',
    ]);
  });

  it('treats a one-line block as complete, and ignores empty lines between messages', () => {
    expect(feed(['```print(2)```', '', '   '])).toEqual(['```print(2)```', null, null]);
  });

  it('flushes an unclosed block at the end of input', () => {
    const assembler = new MessageAssembler();
    assembler.push('```py');
    assembler.push('print(3)');
    expect(assembler.pending).toBe(true);
    expect(assembler.flush()).toBe('```py\nprint(3)');
    expect(assembler.pending).toBe(false);
  });
});
