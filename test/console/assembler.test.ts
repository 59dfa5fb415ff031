import { describe, expect, it } from 'vitest';
import { MessageAssembler, type LineOrigin } from '../../adapters/console/assembler.js';

/** What each line gives: the finished message, or null while the message is open. */
function feed(lines: string[], origin: LineOrigin = 'typed', assembler = new MessageAssembler()): (string | null)[] {
  return lines.map((line) => assembler.push(line, origin));
}

describe('MessageAssembler', () => {
  it('sends a typed line on Enter, and ignores empty ones', () => {
    expect(feed(['print(1)', '', '   ', 'hello'])).toEqual(['print(1)', null, null, 'hello']);
  });

  it('collects a block, blank lines included, then waits for an empty line (a ```stdin block may follow)', () => {
    const lines = ['```py', 'name = input()', '', 'print(name)', '```', '```stdin', 'Ada', '```', ''];
    expect(feed(lines)).toEqual([null, null, null, null, null, null, null, null, lines.slice(0, -1).join('\n')]);
  });

  it('keeps prose before a block in the same message', () => {
    expect(feed(['look:', '```py', 'x = 1', '```', ''])).toEqual(['look:', null, null, null, '```py\nx = 1\n```']);
  });

  it('waits for an empty line after a block opened and closed on one line', () => {
    expect(feed(['```print(2)```', ''])).toEqual([null, '```print(2)```']);
  });

  it('collects code after a lone /run until an empty line', () => {
    expect(feed(['/run', 'for i in range(3):', '    print(i)', ''])).toEqual([null, null, null, '/run\nfor i in range(3):\n    print(i)']);
  });

  it('collects code after a lone /timeit the same way: blocks for the setup and the statement', () => {
    const lines = ['/timeit', '```py', 'x = list(range(9))', '```', '```py', 'sum(x)', '```', ''];
    expect(feed(lines)).toEqual([null, null, null, null, null, null, null, lines.slice(0, -1).join('\n')]);
  });

  it('sends /run or /timeit with code on its line at once', () => {
    expect(feed(['/run print(1)', '/timeit sum(range(9))'])).toEqual(['/run print(1)', '/timeit sum(range(9))']);
    expect(feed(['/run 3.14 print(1)'])).toEqual(['/run 3.14 print(1)']);
  });

  it('collects code after /run with a version alone, as after a lone /run', () => {
    expect(feed(['/run 3.14', 'print(1)', ''])).toEqual([null, null, '/run 3.14\nprint(1)']);
    expect(feed(['/timeit 3.11  ', 'sum(range(9))', ''])).toEqual([null, null, '/timeit 3.11  \nsum(range(9))']);
  });

  it('takes a paste as one message: its lines never send, the Enter after it does', () => {
    const assembler = new MessageAssembler();
    expect(feed(['Look at this:', 'for i in range(3):'], 'pasted', assembler)).toEqual([null, null]);
    expect(assembler.push('    print(i)')).toBe('Look at this:\nfor i in range(3):\n    print(i)');
  });

  it('sends a paste that ended with a line break on the next Enter', () => {
    const assembler = new MessageAssembler();
    feed(['x = 1', 'print(x)'], 'pasted', assembler);
    expect(assembler.push('')).toBe('x = 1\nprint(x)');
  });

  it('drops a paste of blank lines', () => {
    const assembler = new MessageAssembler();
    feed(['', '  '], 'pasted', assembler);
    expect(assembler.push('')).toBeNull();
    expect(assembler.pending).toBe(false);
  });

  it('says a message is pending until it is sent, and clear() drops it', () => {
    const assembler = new MessageAssembler();
    assembler.push('```py');
    assembler.push('print(3)');
    expect(assembler.pending).toBe(true);
    assembler.clear();
    expect(assembler.pending).toBe(false);
    expect(assembler.push('print(4)')).toBe('print(4)');
  });
});
