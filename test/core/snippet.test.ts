import { describe, expect, it } from 'vitest';
import { extractCode, extractTimeit, type ExtractOptions, type Extraction, type TimeitExtraction } from '../../src/snippet.js';

const code = (text: string, stdin?: string): Extraction =>
  stdin === undefined ? { kind: 'code', code: text } : { kind: 'code', code: text, stdin };
const wrong = (language: string): Extraction => ({ kind: 'wrong_language', language });
const EMPTY: Extraction = { kind: 'empty' };
const NONE: Extraction = { kind: 'none' };
const INPUT_ONLY: Extraction = { kind: 'input_only' };

const PASSIVE: ExtractOptions = { explicit: false };
const EXPLICIT: ExtractOptions = { explicit: true };
const RUN: ExtractOptions = { explicit: true, raw: true };

const ZW = '\u200b';
const F = '```';

describe('extractCode: fenced blocks', () => {
  it.each<[string, string, Extraction]>([
    ['py tag', `${F}py\nprint(1)\n${F}`, code('print(1)')],
    ['python tag', `${F}python\nprint(1)\n${F}`, code('print(1)')],
    ['python3 tag', `${F}python3\nprint(1)\n${F}`, code('print(1)')],
    ['py3 tag', `${F}py3\nprint(1)\n${F}`, code('print(1)')],
    ['tag in any case', `${F}PyThOn\nprint(1)\n${F}`, code('print(1)')],
    ['versioned tag', `${F}python3.11\nprint(1)\n${F}`, code('print(1)')],
    ['tag with a version after a space', `${F}Python 3.12\nprint(1)\n${F}`, code('print(1)')],
    ['untagged', `${F}\nprint(1)\n${F}`, code('print(1)')],
    ['text around the block', `look:\n${F}py\nprint(1)\n${F}\nwhy?`, code('print(1)')],
    ['fence opening mid-line', `try this ${F}py\nprint(1)${F}`, code('print(1)')],
    ['closing fence at the end of the last code line', `${F}py\nx = 1\nprint(x)${F}`, code('x = 1\nprint(x)')],
    ['blocks joined in order', `${F}py\na = 1\n${F}\nthen\n${F}\nprint(a)\n${F}`, code('a = 1\nprint(a)')],
    ['empty blocks skipped when joining', `${F}py\n${F} ${F}py\nprint(1)\n${F}`, code('print(1)')],
    ['blank lines around the code dropped', `${F}py\n\n\nprint(1)\n\n  \n${F}`, code('print(1)')],
    ['blank lines inside the code kept', `${F}py\na = 1\n\nprint(a)\n${F}`, code('a = 1\n\nprint(a)')],
    ['CRLF line ends', `${F}py\r\nif True:\r\n    print(1)\r\n${F}`, code('if True:\n    print(1)')],
    ['CR line ends', `${F}py\rprint(1)\rprint(2)\r${F}`, code('print(1)\nprint(2)')],
  ])('%s', (_name, message, expected) => {
    expect(extractCode(message, PASSIVE)).toEqual(expected);
  });
});

describe('extractCode: the tag-or-code ambiguity on the fence line', () => {
  it.each<[string, string, Extraction]>([
    ['known tag then code on the same line', `${F}py print(1)${F}`, code('print(1)')],
    ['known tag, code on the same and next lines', `${F}python print(1)\nprint(2)\n${F}`, code('print(1)\nprint(2)')],
    ['single line, no tag', `${F}print(1)${F}`, code('print(1)')],
    ['single line with spaces', `${F} print(1) ${F}`, code('print(1)')],
    ['code on the fence line, more below', `${F}x = 1\nprint(x)\n${F}`, code('x = 1\nprint(x)')],
    ['one-letter language name used as a variable', `${F}c = 1\nprint(c)${F}`, code('c = 1\nprint(c)')],
    ['py used as a variable', `${F}py += 1${F}`, code('py += 1')],
    ['a lone unknown word is code when single-line', `${F}foo${F}`, code('foo')],
    ['a lone tag with nothing after it', `${F}py${F}`, EMPTY],
    ['unknown tag (typo) runs as Python', `${F}pyhton\nprint(1)\n${F}`, code('print(1)')],
    ['unknown tag with code on its line is code', `${F}pyhton print(1)${F}`, code('pyhton print(1)')],
    ['other known language, same line', `${F}js console.log(1)${F}`, wrong('js')],
  ])('%s', (_name, message, expected) => {
    expect(extractCode(message, PASSIVE)).toEqual(expected);
  });
});

describe('extractCode: other languages', () => {
  it.each<[string, string, Extraction]>([
    ['only a js block', `${F}js\nconsole.log(1)\n${F}`, wrong('js')],
    ['tag reported in lower case', `${F}TypeScript\nlet x = 1\n${F}`, wrong('typescript')],
    ['first foreign tag reported', `${F}rust\nfn main(){}\n${F}\n${F}go\nfunc main(){}\n${F}`, wrong('rust')],
    ['py and js: run the py, ignore the js', `${F}js\nconsole.log(1)\n${F}\n${F}py\nprint(2)\n${F}`, code('print(2)')],
    ['untagged and js: run the untagged', `${F}\nprint(2)\n${F}\n${F}js\nconsole.log(1)\n${F}`, code('print(2)')],
    ['an empty foreign block still says which language', `${F}sql\n${F}`, wrong('sql')],
    ['a pasted output block is not run', `${F}py\nprint(1)\n${F}\n${F}output\n1\n${F}`, code('print(1)')],
    ['a pasted traceback alone', `${F}pytb\nTraceback (most recent call last):\n${F}`, wrong('pytb')],
  ])('%s', (_name, message, expected) => {
    expect(extractCode(message, PASSIVE)).toEqual(expected);
  });
});

describe('extractCode: nasty fences', () => {
  it.each<[string, string, Extraction]>([
    ['unclosed final fence: the rest of the message', `${F}py\nprint(1)\nprint(2)`, code('print(1)\nprint(2)')],
    ['unclosed after a closed block', `${F}py\na = 1\n${F}\n${F}py\nprint(a)`, code('a = 1\nprint(a)')],
    ['``` inside a string literal', `${F}py\nprint('${F}')\n${F}`, code(`print('${F}')`)],
    ['``` inside a double-quoted string', `${F}py\ns = "${F}py"\nprint(s)\n${F}`, code(`s = "${F}py"\nprint(s)`)],
    ['single-line block with ``` in a string', `${F}print('${F}')${F}`, code(`print('${F}')`)],
    [
      'nested fences inside a longer (````) fence',
      `\`\`\`\`py\ns = """\n${F}js\nx\n${F}\n"""\nprint(s)\n\`\`\`\``,
      code(`s = """\n${F}js\nx\n${F}\n"""\nprint(s)`),
    ],
    [
      // Like Discord renders it: a bare ``` line closes a ``` block even inside a string.
      'nested fences inside a ``` fence close at the inner bare fence',
      `${F}py\ns = """\n${F}js\nx\n${F}\n"""\n${F}`,
      code(`s = """\n${F}js\nx`),
    ],
    ['closing fence followed by punctuation', `run ${F}print(1)${F}.`, code('print(1)')],
    ['two single-line blocks on one line', `${F}py print(1)${F} and ${F}py print(2)${F}`, code('print(1)\nprint(2)')],
    ['empty block', `${F}\n${F}`, EMPTY],
    ['empty py block', `${F}py\n   \n${F}`, EMPTY],
    ['empty single-line block', `${F} ${F}`, EMPTY],
    ['only backticks', '``````', EMPTY],
  ])('%s', (_name, message, expected) => {
    expect(extractCode(message, PASSIVE)).toEqual(expected);
  });
});

describe('extractCode: zero-width characters around and inside fences', () => {
  it.each<[string, string, Extraction]>([
    ['between the backticks', `\`${ZW}\`${ZW}\`py\nprint(1)\n\`${ZW}\`${ZW}\``, code('print(1)')],
    ['before and after the fences', `${ZW}${F}${ZW}py\nprint(1)\n${ZW}${F}${ZW}`, code('print(1)')],
    ['every kind', `\`\u200c\`\u200d\`\u2060py\nprint(1)\n\ufeff${F}`, code('print(1)')],
    ['pasted ``​` ​`` style', `\`\`${ZW}\`py\nprint(1)\n\`${ZW}\`\`${ZW}`, code('print(1)')],
    ['byte-order mark at the start of a /run text', '\ufeffprint(1)', code('print(1)')],
  ])('%s', (_name, message, expected) => {
    const opts = message.startsWith('\ufeff') ? RUN : PASSIVE;
    expect(extractCode(message, opts)).toEqual(expected);
  });

  it('keeps zero-width characters that touch no backtick (they may be data)', () => {
    expect(extractCode(`${F}py\nprint('a${ZW}b')\n${F}`, PASSIVE)).toEqual(code(`print('a${ZW}b')`));
  });
});

describe('extractCode: indentation', () => {
  it.each<[string, string, Extraction]>([
    ['whole fence indented (in a list)', `  ${F}py\n  def f():\n      return 1\n  print(f())\n  ${F}`, code('def f():\n    return 1\nprint(f())')],
    ['common indent removed, relative kept', `${F}\n    if x:\n        y()\n${F}`, code('if x:\n    y()')],
    ['tabs', `${F}\n\tif x:\n\t\ty()\n${F}`, code('if x:\n\ty()')],
    ['mixed tab/space margins share nothing', `${F}\n\ta\n    b\n${F}`, code('\ta\n    b')],
    ['blank lines ignored for the margin', `${F}\n    a\n\n    b\n${F}`, code('a\n\nb')],
  ])('%s', (_name, message, expected) => {
    expect(extractCode(message, PASSIVE)).toEqual(expected);
  });
});

describe('extractCode: inline spans and raw /run text', () => {
  it.each<[string, string, ExtractOptions, Extraction]>([
    ['inline span, explicit', '@bot run `print(1)` please', EXPLICIT, code('print(1)')],
    ['inline span, not explicit: ignored', 'I tried `print(1)` yesterday', PASSIVE, NONE],
    ['double-backtick span holding a backtick', "@bot ``print('`')``", EXPLICIT, code("print('`')")],
    ['first span wins', '@bot `print(1)` or `print(2)`', EXPLICIT, code('print(1)')],
    ['a run with no partner is literal', '@bot 2`` then `print(1)`', EXPLICIT, code('print(1)')],
    ['empty span', '@bot ` `', EXPLICIT, EMPTY],
    ['explicit, no code at all', '@bot hello there', EXPLICIT, NONE],
    ['nothing, not explicit', 'just chatting', PASSIVE, NONE],
    ['a block beats a span', '`x` and ```py\nprint(1)\n```', EXPLICIT, code('print(1)')],
    ['/run raw text', 'print(1)', RUN, code('print(1)')],
    ['/run raw multi-line text', 'for i in range(2):\n    print(i)', RUN, code('for i in range(2):\n    print(i)')],
    ['/run raw text with backticks inside a string', "print('a `b` c')", RUN, code("print('a `b` c')")],
    ['/run whose whole text is a span', '  `print(1)` ', RUN, code('print(1)')],
    ['/run with a block', 'please ```py\nprint(1)\n```', RUN, code('print(1)')],
    ['/run with nothing', '', RUN, EMPTY],
    ['/run with only spaces', '  \n ', RUN, EMPTY],
    ['/run with a js block', '```js\nx\n```', RUN, wrong('js')],
  ])('%s', (_name, message, opts, expected) => {
    expect(extractCode(message, opts)).toEqual(expected);
  });
});

describe('extractCode: stdin', () => {
  it.each<[string, string, ExtractOptions, Extraction]>([
    ['a stdin block after the code', `${F}py\nprint(input())\n${F}\n${F}stdin\n42\n${F}`, PASSIVE, code('print(input())', '42\n')],
    ['an input block before the code', `${F}input\n1\n2\n${F}\n${F}py\nprint(input())\n${F}`, PASSIVE, code('print(input())', '1\n2\n')],
    ['stdin keeps leading spaces (data)', `${F}py\nprint(input())\n${F}\n${F}stdin\n  a\n${F}`, PASSIVE, code('print(input())', '  a\n')],
    ['stdin tag on the same line', `${F}py print(input())${F} ${F}stdin 7${F}`, PASSIVE, code('print(input())', '7\n')],
    ['two stdin blocks joined', `${F}py\nx\n${F}\n${F}stdin\na\n${F}\n${F}STDIN\nb\n${F}`, PASSIVE, code('x', 'a\nb\n')],
    ['an empty stdin block is no stdin', `${F}py\nx\n${F}\n${F}stdin\n${F}`, PASSIVE, code('x')],
    ['prose after the code is never stdin', `${F}py\nprint(input())\n${F}\n42`, PASSIVE, code('print(input())')],
    ['/run raw text with a stdin block', `print(input())\n${F}stdin\n42\n${F}`, RUN, code('print(input())', '42\n')],
    ['inline code with a stdin block', `@bot \`print(input())\` ${F}input\nhi\n${F}`, EXPLICIT, code('print(input())', 'hi\n')],
    ['a stdin block alone: input but no code', `${F}stdin\n42\n${F}`, PASSIVE, INPUT_ONLY],
    ['a stdin block alone, addressed', `@bot ${F}stdin\n42\n${F}`, EXPLICIT, INPUT_ONLY],
    ['/run with only a stdin block', `${F}stdin\n42\n${F}`, RUN, INPUT_ONLY],
    ['/run with only an empty stdin block is empty', `${F}stdin\n${F}`, RUN, EMPTY],
    ['an empty py block with input is empty code', `${F}py\n${F}\n${F}stdin\n42\n${F}`, PASSIVE, EMPTY],
    ['a js block with input is the wrong language', `${F}js\nx\n${F}\n${F}stdin\n42\n${F}`, PASSIVE, wrong('js')],
  ])('%s', (_name, message, opts, expected) => {
    expect(extractCode(message, opts)).toEqual(expected);
  });

  it('sets no stdin property at all when there is none', () => {
    expect(extractCode(`${F}py\nx\n${F}`, PASSIVE)).not.toHaveProperty('stdin');
  });
});

describe('extractCode: console sessions', () => {
  const SESSION = ['>>> x = 1', '>>> for i in range(2):', '...     print(x + i)', '...', '1', '2', '>>> x', '1'].join('\n');
  const STATEMENTS = ['x = 1', 'for i in range(2):', '    print(x + i)', '', 'x'].join('\n');

  it.each<[string, string, ExtractOptions, Extraction]>([
    ['a pycon block: prompts stripped, output dropped', `${F}pycon\n${SESSION}\n${F}`, PASSIVE, code(STATEMENTS)],
    ['the pycon tag in any case', `${F}PyCon\n>>> print(1)\n1\n${F}`, PASSIVE, code('print(1)')],
    ['an untagged block starting with a prompt', `${F}\n${SESSION}\n${F}`, PASSIVE, code(STATEMENTS)],
    ['a py block starting with a prompt', `${F}py\n>>> print(1)\n1\n${F}`, PASSIVE, code('print(1)')],
    ['an indented session', `${F}\n  >>> if True:\n  ...     print(1)\n  1\n${F}`, PASSIVE, code('if True:\n    print(1)')],
    [
      'a traceback in the output is dropped',
      `${F}pycon\n>>> 1/0\nTraceback (most recent call last):\n  File "<stdin>", line 1\nZeroDivisionError: division by zero\n>>> print(2)\n${F}`,
      PASSIVE,
      code('1/0\nprint(2)'),
    ],
    [
      '"..." printed after output is output too',
      `${F}pycon\n>>> print(1); print('... x')\n1\n... x\n>>> 2\n${F}`,
      PASSIVE,
      code("print(1); print('... x')\n2"),
    ],
    ['">>>" inside a line is code', `${F}\nprint(">>> hi")\n${F}`, PASSIVE, code('print(">>> hi")')],
    ['a session joins the other blocks', `${F}py\na = 2\n${F}\n${F}\n>>> print(a)\n2\n${F}`, PASSIVE, code('a = 2\nprint(a)')],
    ['a pycon block with output only is empty', `${F}pycon\n1\n2\n${F}`, PASSIVE, EMPTY],
    ['pycon and a stdin block', `${F}pycon\n>>> input()\n${F}\n${F}stdin\nhi\n${F}`, PASSIVE, code('input()', 'hi\n')],
    ['pycon with a prompt on the fence line', `${F}pycon >>> print(1)${F}`, PASSIVE, code('print(1)')],
    ['an inline span starting with a prompt', '@bot `>>> print(1)`', EXPLICIT, code('print(1)')],
    ['/run text pasted from the REPL', '>>> print(1)\n1', RUN, code('print(1)')],
    ['a pytb block is still refused', `${F}pytb\nTraceback (most recent call last):\n${F}`, PASSIVE, wrong('pytb')],
    ['an output block is still refused', `${F}output\n>>> 1\n${F}`, PASSIVE, wrong('output')],
  ])('%s', (_name, message, opts, expected) => {
    expect(extractCode(message, opts)).toEqual(expected);
  });
});

describe('extractTimeit: the first of several blocks is the setup, the rest is timed', () => {
  const timed = (setup: string, statement: string, stdin?: string): TimeitExtraction =>
    stdin === undefined ? { kind: 'code', setup, code: statement } : { kind: 'code', setup, code: statement, stdin };

  it.each<[string, string, ExtractOptions, TimeitExtraction]>([
    ['one block: no setup', `${F}py\nsum(range(100))\n${F}`, RUN, timed('', 'sum(range(100))')],
    ['two blocks: setup, then the statement', `${F}py\nx = list(range(100))\n${F}\n${F}py\nsum(x)\n${F}`, RUN, timed('x = list(range(100))', 'sum(x)')],
    [
      'three blocks: the rest is joined into one statement',
      `${F}py\nimport math\n${F}\n${F}py\na = math.sqrt(2)\n${F}\n${F}\nb = a * a\n${F}`,
      RUN,
      timed('import math', 'a = math.sqrt(2)\nb = a * a'),
    ],
    ['prose between the blocks is ignored', `setup: ${F}py x = 3${F} then time ${F}py x ** 2${F}`, RUN, timed('x = 3', 'x ** 2')],
    ['an empty block is skipped, not taken for the setup', `${F}py\n${F}\n${F}py\nsum(range(9))\n${F}`, RUN, timed('', 'sum(range(9))')],
    ['a session block is a piece like any other', `${F}pycon\n>>> x = 1\n${F}\n${F}py\nx + 1\n${F}`, RUN, timed('x = 1', 'x + 1')],
    ['another language is not a piece', `${F}py\nx = 1\n${F}\n${F}js\nconsole.log(1)\n${F}`, RUN, timed('', 'x = 1')],
    ['raw /timeit text: no setup', 'sorted(range(50), reverse=True)', RUN, timed('', 'sorted(range(50), reverse=True)')],
    ['raw multi-line text stays one statement', 'x = 1\ny = x + 1', RUN, timed('', 'x = 1\ny = x + 1')],
    ['an inline span: no setup', '@bot `len("abc")`', EXPLICIT, timed('', 'len("abc")')],
    ['stdin is kept', `${F}py\nx = 1\n${F}\n${F}py\ninput()\n${F}\n${F}stdin\nhi\n${F}`, RUN, timed('x = 1', 'input()', 'hi\n')],
  ])('%s', (_name, message, opts, expected) => {
    expect(extractTimeit(message, opts)).toEqual(expected);
  });

  it.each<[string, string, ExtractOptions, Extraction]>([
    ['nothing to time', '   ', RUN, EMPTY],
    ['only empty blocks', `${F}py\n${F}\n${F}\n${F}`, RUN, EMPTY],
    ['only another language', `${F}rust\nfn main(){}\n${F}`, RUN, wrong('rust')],
    ['only input', `${F}stdin\n42\n${F}`, RUN, INPUT_ONLY],
    ['no code in a passive message', 'hello', PASSIVE, NONE],
  ])('finds no code where extractCode finds none: %s', (_name, message, opts, expected) => {
    expect(extractTimeit(message, opts)).toEqual(expected);
    expect(extractCode(message, opts)).toEqual(expected);
  });

  it('finds the same code as extractCode, only split: the setup and the statement are its pieces', () => {
    const message = `${F}py\nimport math\n${F}\ntext\n${F}\n>>> math.pi\n3.14\n${F}\n${F}py\nmath.e\n${F}`;
    const found = extractTimeit(message, PASSIVE);
    expect(found).toEqual(timed('import math', 'math.pi\nmath.e'));
    if (found.kind !== 'code') return;
    expect(extractCode(message, PASSIVE)).toEqual(code(`${found.setup}\n${found.code}`));
  });
});
