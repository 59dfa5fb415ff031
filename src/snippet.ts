/**
 * Finding the Python code in a chat message. Pure: no platform, no I/O.
 *
 * Precedence:
 *   1. Fenced blocks ```…```. Blocks tagged py/python/python3/py3 (any case, also python3.11),
 *      pycon (a console session) and untagged blocks run, joined in order. Blocks tagged with
 *      another known language (or as output, traceback, shell session) are ignored, unless they
 *      are all there is: then `wrong_language`. An unknown tag (```pyhton) is treated as untagged:
 *      we only refuse what we recognise.
 *   2. When the bot was addressed explicitly: the first inline `code` (or ``code``) span.
 *   3. For the argument text of an explicit /run (`raw`): the text itself. There a span counts
 *      only if it is the whole text, because `print('a `b` c')` is raw code, not a span.
 *
 * Console sessions: code that starts with a `>>>` prompt can only be a pasted session (no Python
 * program starts that way), and a ```pycon block always is one. Its statements run: prompts
 * stripped, output lines dropped.
 *
 * stdin comes only from fenced blocks tagged `stdin` or `input` (anywhere in the message, joined,
 * with a final newline as a terminal would send). Prose after the code is never stdin: people
 * write "this should print 3" there, and feeding that to input() would surprise them.
 *
 * Timing (`extractTimeit`, python-discord's !timeit rule): the same code, found the same way, but
 * with several blocks the first is the setup (run once, untimed) and the rest, joined, is timed.
 */

export interface ExtractOptions {
  /**
   * The bot was addressed on purpose: /run, a mention, the prefix, a DM, or a message in the
   * terminal chat (read like a DM). An inline span counts, and no code at all is worth a how-to.
   */
  explicit: boolean;
  /** The text is what followed an explicit /run: with no block in it, it is the code itself. */
  raw?: boolean;
}

export type Extraction =
  | { kind: 'code'; code: string; stdin?: string }
  /** Only blocks in another language: the caller says only Python runs. `language` is lower case. */
  | { kind: 'wrong_language'; language: string }
  /** A block, span or /run with nothing in it. */
  | { kind: 'empty' }
  /** Input to give the program (a stdin block), but no code at all. */
  | { kind: 'input_only' }
  | { kind: 'none' };

export function extractCode(message: string, opts: ExtractOptions): Extraction {
  const found = findCode(message, opts);
  if (found.kind !== 'code') return found;
  return withStdin({ kind: 'code', code: found.pieces.join('\n') }, found.stdin);
}

/** What a timeit request holds: the statement to time (`code`) and its setup ('' when there is none). */
export type TimeitExtraction = { kind: 'code'; code: string; setup: string; stdin?: string } | NoCode;

/** Code to time, found as extractCode finds it: with several runnable blocks the first is the setup. */
export function extractTimeit(message: string, opts: ExtractOptions): TimeitExtraction {
  const found = findCode(message, opts);
  if (found.kind !== 'code') return found;
  return withStdin({ kind: 'code', ...setupAndStatement(found.pieces) }, found.stdin);
}

/** Of several pieces, the first is the setup and the rest, joined, the statement; a lone piece has no setup. */
function setupAndStatement(pieces: string[]): { setup: string; code: string } {
  if (pieces.length < 2) return { setup: '', code: pieces.join('\n') };
  const [setup = '', ...timed] = pieces;
  return { setup, code: timed.join('\n') };
}

type NoCode = Exclude<Extraction, { kind: 'code' }>;

/** The code found, piece by piece (each runnable block in order, or the one span or raw text); never an empty piece. */
type Pieces = { kind: 'code'; pieces: string[]; stdin?: string } | NoCode;

function findCode(message: string, opts: ExtractOptions): Pieces {
  const text = normalise(message);
  const blocks = findBlocks(text);
  const stdin = stdinOf(blocks);

  const runnable = blocks.filter((b) => RUNNABLE.has(languageOf(b.tag)));
  if (runnable.length > 0) return piecesOrEmpty(runnable.map((b) => codeOf(b.body, languageOf(b.tag) === 'session')), stdin);
  const foreign = blocks.find((b) => languageOf(b.tag) === 'other');
  if (foreign?.tag) return { kind: 'wrong_language', language: foreign.tag.toLowerCase() };

  const prose = withoutBlocks(text, blocks);
  const span = opts.explicit || opts.raw ? firstInlineSpan(prose) : undefined;
  if (span && (!opts.raw || span.isWholeText)) return piecesOrEmpty([codeOf(span.code)], stdin);
  const code = opts.raw ? codeOf(prose) : '';
  if (code !== '') return piecesOrEmpty([code], stdin);
  if (stdin !== undefined) return { kind: 'input_only' };
  return opts.raw ? { kind: 'empty' } : { kind: 'none' };
}

/** Empty blocks are skipped: only when every piece is empty is the code empty. */
function piecesOrEmpty(pieces: string[], stdin: string | undefined): Pieces {
  const kept = pieces.filter((piece) => piece !== '');
  return kept.length === 0 ? { kind: 'empty' } : withStdin({ kind: 'code', pieces: kept }, stdin);
}

function withStdin<T extends { kind: 'code' }>(found: T, stdin: string | undefined): T & { stdin?: string } {
  return stdin === undefined ? found : { ...found, stdin };
}

/** The code to run from a block's body, a span or /run's text. */
function codeOf(text: string, session = false): string {
  const code = tidy(text);
  return session || startsWithPrompt(code) ? tidy(sessionStatements(code)) : code;
}

// ---- normalising -------------------------------------------------------------------------------

const ZERO_WIDTH = '\u200b\u200c\u200d\u2060\ufeff';
// Discord users paste fences riddled with zero-width characters (``​`): drop those touching a
// backtick so the fence is seen. (A zero-width character next to a backtick inside a string
// literal goes too; that is rare, and invisible either way.)
const ZERO_WIDTH_BY_BACKTICK = new RegExp(`[${ZERO_WIDTH}]+(?=\`)|(?<=\`)[${ZERO_WIDTH}]+`, 'g');
const ZERO_WIDTH_AT_EDGES = new RegExp(`^[${ZERO_WIDTH}]+|[${ZERO_WIDTH}]+$`, 'g');

function normalise(message: string): string {
  return message.replace(/\r\n?/g, '\n').replace(ZERO_WIDTH_BY_BACKTICK, '');
}

/** Like Python's textwrap.dedent, plus: no blank lines before or after, no trailing spaces. */
function tidy(code: string): string {
  const lines = code.replace(ZERO_WIDTH_AT_EDGES, '').split('\n');
  const first = lines.findIndex((line) => !isBlank(line));
  if (first === -1) return '';
  let last = lines.length - 1;
  while (isBlank(lines[last] ?? '')) last -= 1;
  const kept = lines.slice(first, last + 1);
  const margin = commonMargin(kept);
  return kept
    .map((line) => (isBlank(line) ? '' : line.slice(margin.length)))
    .join('\n')
    .trimEnd();
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The leading whitespace every non-blank line shares (tabs and spaces are not equivalent). */
function commonMargin(lines: string[]): string {
  let margin: string | undefined;
  for (const line of lines) {
    if (isBlank(line)) continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (margin === undefined) margin = indent;
    let shared = 0;
    while (shared < margin.length && shared < indent.length && margin[shared] === indent[shared]) shared += 1;
    margin = margin.slice(0, shared);
  }
  return margin ?? '';
}

// ---- fenced blocks -----------------------------------------------------------------------------

interface Block {
  /** The language tag as written, or null. */
  tag: string | null;
  body: string;
  start: number;
  end: number;
}

interface Run {
  start: number;
  end: number;
}

/**
 * Fences may open anywhere (Discord and Slack don't require a line start). A block closes at the
 * next run of at least as many backticks that is followed by whitespace, the end of the text, or
 * closing punctuation: so ``` inside a string ('```') or an inner opener (```js) does not close
 * it, while "```print(1)```." does. A block with no closing fence runs to the end of the message.
 */
function findBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let from = 0;
  for (;;) {
    const open = nextRun(text, from, (run) => run.end - run.start >= 3);
    if (!open) return blocks;
    const width = open.end - open.start;
    const close = nextRun(text, open.end, (run) => run.end - run.start >= width && closesBlock(text, run.end));
    const end = close?.end ?? text.length;
    blocks.push({ ...splitTag(text.slice(open.end, close?.start ?? text.length)), start: open.start, end });
    from = end;
  }
}

function nextRun(text: string, from: number, accept: (run: Run) => boolean): Run | undefined {
  const backticks = /`+/g;
  backticks.lastIndex = from;
  for (let m = backticks.exec(text); m; m = backticks.exec(text)) {
    const run = { start: m.index, end: m.index + m[0].length };
    if (accept(run)) return run;
  }
  return undefined;
}

function closesBlock(text: string, after: number): boolean {
  const tail = /[.,!?;:)\]]*(?:\s|$)/y;
  tail.lastIndex = after;
  return tail.test(text);
}

// A word that can be a Markdown info string on the fence's own line.
const TAG_LIKE = /^[\w+#.-]+$/;
// After a known language name on the fence line, code starts with a word, not an operator:
// "```py print(1)" is tagged, "```c = 1" is untagged code assigning to c.
const STARTS_LIKE_OPERATOR = /^[=+\-*/%&|^<>!:.,;([{@~]/;
const VERSION = /^v?\d+(?:\.\d+)*$/i;

/**
 * Splits the opening line's language tag from the code. The ambiguity is a first word that may
 * be a tag or code:
 *   "py\nprint(1)"  tagged (a lone word on the fence line is Markdown's info string, and the
 *                   platform hides it, so the user doesn't see it as code)
 *   "py print(1)"   tagged: a KNOWN language name, then code on the same line
 *   "print(1)"      untagged: code on the fence line
 *   "py"            tagged and empty (```py```); "foo" alone is untagged code (```foo```)
 */
function splitTag(content: string): { tag: string | null; body: string } {
  const newline = content.indexOf('\n');
  const head = (newline === -1 ? content : content.slice(0, newline)).trim();
  const rest = newline === -1 ? null : content.slice(newline + 1);
  if (head === '') return { tag: null, body: rest ?? '' };

  const word = head.split(/\s/, 1)[0] ?? '';
  const tail = head.slice(word.length).trimStart();
  const language = languageOf(word);
  const known = language !== 'python' || PYTHON_TAG.test(word);
  if (tail === '') {
    if (rest !== null && TAG_LIKE.test(word)) return { tag: word, body: rest };
    if (rest === null && known) return { tag: word, body: '' };
    return { tag: null, body: content };
  }
  if (rest !== null && known && VERSION.test(tail)) return { tag: word, body: rest }; // ```python 3
  // A session starts with a prompt, which looks like an operator: ```pycon >>> x = 1```.
  if (known && (!STARTS_LIKE_OPERATOR.test(tail) || (language === 'session' && startsWithPrompt(tail)))) {
    return { tag: word, body: rest === null ? tail : `${tail}\n${rest}` };
  }
  return { tag: null, body: content };
}

// ---- languages ---------------------------------------------------------------------------------

const PYTHON_TAG = /^(?:py|python)(?:3(?:\.\d+)*)?$/i;
const SESSION_TAGS = new Set(['pycon']);
const STDIN_TAGS = new Set(['stdin', 'input']);
// Tags we recognise as another language, or as text not meant to run (output, tracebacks,
// shell sessions). Anything else that looks like a tag is taken for Python (most likely a
// typo), because refusing to run it would be the bigger surprise.
const OTHER_LANGUAGES = new Set(
  (
    'error errors log logs out output pytb result results stderr stdout terminal traceback ' +
    'ansi asm bash bat batch c c# c++ cc clj clojure cmake cmd coffee console cpp cs csharp css csv ' +
    'cxx dart delphi diff dockerfile elixir elm erl erlang ex exs f# fish fortran fs fsharp gdscript ' +
    'go golang graphql groovy h haskell hcl hpp hs html ini java javascript jl js json json5 jsx ' +
    'julia kotlin kt latex less lisp lua makefile markdown matlab md mjs ml nasm nginx nim objc ' +
    'objectivec ocaml octave pascal patch perl php pl plaintext powershell prolog proto ps1 psql ' +
    'pwsh r racket rb ruby rs rust sass scala scheme scss sh shell sml sol solidity sql sqlite swift ' +
    'tex text toml ts tsx txt typescript vb vba vbnet vim wasm x86asm xml yaml yml zig zsh'
  ).split(' '),
);

/** `session`: a Python console session (prompts and output), whose statements run. */
type Language = 'python' | 'session' | 'stdin' | 'other';

const RUNNABLE: ReadonlySet<Language> = new Set(['python', 'session']);

/** What a block's tag says it holds (untagged and unknown tags: Python). */
function languageOf(tag: string | null): Language {
  if (tag === null) return 'python';
  const lower = tag.toLowerCase();
  if (SESSION_TAGS.has(lower)) return 'session';
  if (STDIN_TAGS.has(lower)) return 'stdin';
  if (OTHER_LANGUAGES.has(lower)) return 'other';
  return 'python';
}

/** Blocks tagged stdin/input, joined, ending in a newline; undefined when there is none. */
function stdinOf(blocks: Block[]): string | undefined {
  const parts = blocks
    .filter((b) => languageOf(b.tag) === 'stdin')
    .map((b) => withoutBlankEdges(b.body))
    .filter((part) => part !== '');
  return parts.length === 0 ? undefined : `${parts.join('\n')}\n`;
}

/** Input is kept as typed (no dedent: leading spaces may be data), minus fence-side blank lines. */
function withoutBlankEdges(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && isBlank(lines[0] ?? '')) lines.shift();
  while (lines.length > 0 && isBlank(lines[lines.length - 1] ?? '')) lines.pop();
  return lines.join('\n');
}

// ---- console sessions --------------------------------------------------------------------------

// A prompt, then a space or the end of the line (an empty `>>>` or `...` line).
const PROMPT = /^(>>>|\.\.\.)(?: |$)/;

function startsWithPrompt(code: string): boolean {
  return PROMPT.exec(code)?.[1] === '>>>';
}

/**
 * A session's statements: `>>> ` and `... ` prompts stripped, other lines (output) dropped. A
 * `...` line continues a statement only right after prompt lines; after output it is output too
 * (a program may print "...").
 */
function sessionStatements(session: string): string {
  const code: string[] = [];
  let inStatement = false;
  for (const line of session.split('\n')) {
    const prompt = PROMPT.exec(line);
    inStatement = prompt?.[1] === '>>>' || (prompt?.[1] === '...' && inStatement);
    if (prompt && inStatement) code.push(line.slice(prompt[0].length));
  }
  return code.join('\n');
}

// ---- inline spans and prose --------------------------------------------------------------------

function withoutBlocks(text: string, blocks: Block[]): string {
  let prose = '';
  let from = 0;
  for (const block of blocks) {
    prose += `${text.slice(from, block.start)}\n`;
    from = block.end;
  }
  return prose + text.slice(from);
}

/**
 * The first `code` or ``code`` span (CommonMark: it closes with a run of exactly as many
 * backticks; a run with no partner is a literal backtick).
 */
function firstInlineSpan(prose: string): { code: string; isWholeText: boolean } | undefined {
  const backticks = /`+/g;
  for (let open = backticks.exec(prose); open; open = backticks.exec(prose)) {
    const width = open[0].length;
    const close = nextRun(prose, open.index + width, (run) => run.end - run.start === width);
    if (!close) continue;
    const isWholeText = prose.slice(0, open.index).trim() === '' && prose.slice(close.end).trim() === '';
    return { code: prose.slice(open.index + width, close.start), isWholeText };
  }
  return undefined;
}
