import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import type { RunResult, RunStatus } from '../../sandbox/result.js';
import { cleanTerminalText } from '../../src/escape.js';
import { CONSOLE, DISCORD, SLACK, type EscapeMode, type PlatformProfile } from '../../src/platforms.js';
import { renderNotice, renderResult, type RenderContext, type RenderLimits } from '../../src/render.js';
import type { Reply } from '../../src/reply.js';

const LIMITS: RenderLimits = DEFAULT_LIMITS; // 5 s, 128 MiB, 64 KiB
const PROFILES = [DISCORD, SLACK, CONSOLE] as const;
const CHAT = [DISCORD, SLACK] as const;

function run(over: Partial<RunResult> = {}): RunResult {
  return {
    status: 'ok',
    exitCode: 0,
    signal: null,
    output: '',
    stdout: '',
    stderr: '',
    outputBytes: 0,
    durationMs: 123,
    files: [],
    filesLeftOut: {},
    python: null,
    ...over,
  };
}
const printed = (output: string, over: Partial<RunResult> = {}) => run({ output, ...over });

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
const ZWSP = /\u200b/g;
const FAMILY = '👨‍👩‍👧‍👦'; // four emoji joined by ZWJ: one grapheme, 11 UTF-16 units
const FENCE = '```';

const MARKER_LINE = /^…(?: .+ hidden)? \(full output in output\.txt\)$/;

/** The output block's body as `text` shows it, unfenced ('' when there is none). For replies without a hint. */
function shownBlock(reply: Reply, profile: PlatformProfile): string {
  if (reply.text === reply.statusLine) return '';
  expect(reply.text.startsWith(`${reply.statusLine}\n`)).toBe(true);
  const block = reply.text.slice(reply.statusLine.length + 1);
  if (!profile.codeFences) return block;
  expect(block.startsWith(`${FENCE}\n`) && block.endsWith(`\n${FENCE}`)).toBe(true);
  return block.slice(FENCE.length + 1, -(FENCE.length + 1));
}

/** A preview's parts: the lines before the cut marker line, that line, and the lines after it. */
function previewParts(reply: Reply, profile: PlatformProfile): { head: string; marker: string | undefined; tail: string } {
  const block = shownBlock(reply, profile);
  const lines = block.split('\n');
  const at = lines.findIndex((line) => MARKER_LINE.test(line));
  if (at === -1) return { head: block, marker: undefined, tail: '' };
  return { head: lines.slice(0, at).join('\n'), marker: lines[at], tail: lines.slice(at + 1).join('\n') };
}

/** The output shown before the cut marker line (all of it when nothing was cut). */
function shownOutput(reply: Reply, profile: PlatformProfile): string {
  return previewParts(reply, profile).head;
}

/** Whether the reply attaches the full output (it does whenever the preview is cut). */
const attached = (reply: Reply) => reply.attachments.length > 0;

const lineList = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);
const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "main.py", line 5, in <module>',
  'ZeroDivisionError: division by zero',
];

describe('renderResult: status lines', () => {
  it.each<[string, RunResult, RenderLimits, string]>([
    ['ok', run({ durationMs: 123 }), LIMITS, '✅ done in 0.12 s'],
    ['ok, slow', run({ durationMs: 12_345 }), LIMITS, '✅ done in 12.3 s'],
    ['error', run({ status: 'error', exitCode: 1 }), LIMITS, '❌ exited with code 1'],
    ['error without a code', run({ status: 'error', exitCode: null }), LIMITS, '❌ failed'],
    ['timeout', run({ status: 'timeout', exitCode: null }), LIMITS, '⏱️ timed out after 5 s'],
    ['timeout, fractional limit', run({ status: 'timeout' }), { ...LIMITS, timeoutS: 2.5 }, '⏱️ timed out after 2.5 s'],
    ['memory', run({ status: 'memory', exitCode: null }), LIMITS, '💾 memory limit (128 MiB) exceeded'],
    ['memory, big limit', run({ status: 'memory' }), { ...LIMITS, memoryMb: 2048 }, '💾 memory limit (2,048 MiB) exceeded'],
    ['output limit', run({ status: 'output_limit' }), LIMITS, '✂️ output limit (64 KiB) reached'],
    ['killed by SIGXCPU', run({ status: 'killed', signal: 'SIGXCPU' }), LIMITS, '💀 killed by SIGXCPU (CPU time limit)'],
    ['killed by SIGKILL', run({ status: 'killed', signal: 'SIGKILL' }), LIMITS, '💀 killed by SIGKILL (most likely the memory limit)'],
    ['killed, signal unknown', run({ status: 'killed', signal: null }), LIMITS, '💀 killed by a signal'],
    ['cancelled', run({ status: 'cancelled', exitCode: null }), LIMITS, '🛑 cancelled'],
    [
      'cancelled, with why',
      run({ status: 'cancelled', reason: 'Sandpiper is restarting.\nTry again in a minute.' }),
      LIMITS,
      '🛑 cancelled: Sandpiper is restarting. Try again in a minute.',
    ],
    [
      'sandbox error',
      run({ status: 'sandbox_error', reason: 'Docker is not reachable: start dockerd', durationMs: 0 }),
      LIMITS,
      '🚫 sandbox unavailable: Docker is not reachable: start dockerd',
    ],
  ])('%s', (_name, result, limits, expected) => {
    for (const profile of PROFILES) {
      const reply = renderResult(result, profile, limits);
      expect(reply.statusLine).toBe(expected);
      expect(reply.text.startsWith(`${expected}\n`) || reply.text === expected).toBe(true);
      expect(reply).toMatchObject({ kind: 'result', status: result.status });
    }
  });

  it('a sandbox error shows only why: no code block, no attachment', () => {
    const reply = renderResult(run({ status: 'sandbox_error', reason: 'image missing' }), DISCORD, LIMITS);
    expect(reply).toEqual({
      kind: 'result',
      status: 'sandbox_error',
      statusLine: '🚫 sandbox unavailable: image missing',
      text: '🚫 sandbox unavailable: image missing',
      attachments: [],
    });
  });

  it.each<[PlatformProfile, string, string]>([
    [DISCORD, 'bad\nimage @everyone <@1> sand_box', '🚫 sandbox unavailable: bad image @\u200beveryone <@\u200b1\\> sand\\_box'],
    [SLACK, 'bad <!channel> & co', '🚫 sandbox unavailable: bad &lt;!channel&gt; &amp; co'],
    [CONSOLE, 'bad\x1b[31m red\u202e', '🚫 sandbox unavailable: bad red'],
  ])('a sandbox error reason is one escaped line (%#)', (profile, reason, expected) => {
    expect(renderResult(run({ status: 'sandbox_error', reason }), profile, LIMITS).text).toBe(expected);
  });

  it('a huge sandbox error reason is clipped to the platform limit', () => {
    const reply = renderResult(run({ status: 'sandbox_error', reason: 'why '.repeat(2000) }), DISCORD, LIMITS);
    expect(reply.text.length).toBeLessThanOrEqual(DISCORD.maxChars);
    expect(reply.text.endsWith('…')).toBe(true);
  });
});

describe('renderResult: the Python that ran, at the end of the status line', () => {
  it.each<[string, RunResult, RenderContext, string]>([
    ['ok', run({ python: '3.13.5' }), {}, '✅ done in 0.12 s · Python 3.13.5'],
    ['ok, after a wait', run({ durationMs: 40, python: '3.14.0' }), { waitedMs: 2500 }, '✅ done in 2.50 s (ran 0.04 s) · Python 3.14.0'],
    ['error', run({ status: 'error', exitCode: 1, python: '3.11.2' }), {}, '❌ exited with code 1 · Python 3.11.2'],
    ['timeout', run({ status: 'timeout', python: '3.14.0' }), {}, '⏱️ timed out after 5 s · Python 3.14.0'],
    ['memory', run({ status: 'memory', python: '3.13.5' }), {}, '💾 memory limit (128 MiB) exceeded · Python 3.13.5'],
    ['killed', run({ status: 'killed', signal: 'SIGXCPU', python: '3.13.5' }), {}, '💀 killed by SIGXCPU (CPU time limit) · Python 3.13.5'],
    // Nothing to say: the version is not known, or the run says why it stopped instead.
    ['unknown', run({ python: null }), {}, '✅ done in 0.12 s'],
    ['cancelled', run({ status: 'cancelled', reason: 'Sandpiper is restarting.', python: '3.13.5' }), {}, '🛑 cancelled: Sandpiper is restarting.'],
    ['sandbox error', run({ status: 'sandbox_error', reason: 'image missing' }), {}, '🚫 sandbox unavailable: image missing'],
  ])('%s', (_name, result, context, expected) => {
    for (const profile of PROFILES) expect(renderResult(result, profile, LIMITS, context).statusLine).toBe(expected);
  });

  it('is escaped like any text from the sandbox', () => {
    expect(renderResult(run({ python: '3.13 @everyone' }), DISCORD, LIMITS).statusLine).toBe('✅ done in 0.12 s · Python 3.13 @\u200beveryone');
  });
});

describe('renderResult: layout', () => {
  it.each<[PlatformProfile, string]>([
    [DISCORD, '✅ done in 0.12 s\n```\nhello\nworld\n```'],
    [SLACK, '✅ done in 0.12 s\n```\nhello\nworld\n```'],
    [CONSOLE, '✅ done in 0.12 s\nhello\nworld'],
  ])('%o', (profile, expected) => {
    const reply = renderResult(printed('hello\nworld\n'), profile, LIMITS);
    expect(reply).toEqual({
      kind: 'result',
      status: 'ok',
      statusLine: '✅ done in 0.12 s',
      text: expected,
      attachments: [],
    });
  });

  it.each<[string, RunResult, string]>([
    ['nothing printed', printed(''), '[no output]'],
    ['nothing printed before a timeout', printed('', { status: 'timeout' }), '[no output]'],
    ['only newlines', printed('\n\n\n'), '[no visible output]'],
    ['only an ANSI sequence', printed('\x1b[2J'), '[no visible output]'],
  ])('%s', (_name, result, expected) => {
    for (const profile of PROFILES) {
      const reply = renderResult(result, profile, LIMITS);
      expect(shownBlock(reply, profile)).toBe(expected);
      expect(attached(reply)).toBe(false);
    }
    expect(renderResult(result, DISCORD, LIMITS).text).toContain(`${FENCE}\n${expected}\n${FENCE}`);
  });

  it('keeps leading spaces and inner blank lines', () => {
    expect(shownBlock(renderResult(printed('  a\n\n\tb\n'), DISCORD, LIMITS), DISCORD)).toBe('  a\n\n\tb');
  });
});

describe('renderResult: sanitising the output', () => {
  it.each<[string, string, string]>([
    ['SGR colours', '\x1b[1;31mred\x1b[0m plain', 'red plain'],
    ['cursor movement', 'a\x1b[2Ab\x1b[K', 'ab'],
    ['OSC window title (BEL)', '\x1b]0;pwned\x07text', 'text'],
    ['OSC 8 hyperlink (ST)', '\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['unterminated OSC stops at the line end', '\x1b]0;title\nnext', '\nnext'],
    ['8-bit CSI', '\x9b31mC1', 'C1'],
    ['other C1 controls removed', 'a\x85b\x8dc', 'abc'],
    ['RTL override removed', 'user\u202egnp.exe', 'usergnp.exe'],
    ['all bidi embeddings/isolates removed', '\u202a1\u202b2\u202c3\u202d4\u20665\u20676\u20687\u2069', '1234567'],
    ['C0 controls made visible', 'nul\x00 bell\x07 del\x7f esc\x1b', 'nul␀ bell␇ del␡ esc␛'],
    ['backspace and form feed visible', 'a\bb\fc\vd', 'a␈b␌c␋d'],
    ['progress bar rewritten with \\r', 'load 10%\rload 50%\rload 100%\ndone', 'load 100%\ndone'],
    ['trailing \\r keeps the line', 'text\r\nmore\r', 'text\nmore'],
    ['tabs kept', 'a\tb', 'a\tb'],
    ['U+FFFD from invalid UTF-8 kept', 'bad \ufffd\ufffd bytes', 'bad \ufffd\ufffd bytes'],
    ['lone surrogate replaced', 'x\ud800y', 'x\ufffdy'],
  ])('%s', (_name, output, expected) => {
    for (const profile of PROFILES) {
      const reply = renderResult(printed(output), profile, LIMITS);
      expect(shownBlock(reply, profile).replace(ZWSP, '')).toBe(expected);
      expect(reply.text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      expect(reply.text).not.toMatch(BIDI);
    }
  });

  it.each<[PlatformProfile]>(CHAT.map((p) => [p]))('``` in the output cannot close the block (%o)', (profile) => {
    const output = `before\n${FENCE}\n@x ${FENCE}js\n\`\`\`\`\` five\nend \``;
    const reply = renderResult(printed(output), profile, LIMITS);
    expect(shownBlock(reply, profile)).not.toContain('``');
    expect(reply.text.match(/```/g)).toHaveLength(2); // only our own fences
    expect(reply.text.endsWith(`\n${FENCE}`)).toBe(true);
    expect(shownBlock(reply, profile).replace(ZWSP, '')).toBe(output);
  });

  const MENTIONS = '@everyone @here <@123> <@!123> <@&456> <#789> <!channel> <!here> <@U123> a&b';
  it.each<[PlatformProfile, string]>([
    [
      DISCORD,
      '@\u200beveryone @\u200bhere <@\u200b123> <@\u200b!123> <@\u200b&456> <#\u200b789> <!channel> <!here> <@\u200bU123> a&b',
    ],
    [SLACK, '@everyone @here &lt;@123&gt; &lt;@!123&gt; &lt;@&amp;456&gt; &lt;#789&gt; &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; a&amp;b'],
    [CONSOLE, MENTIONS],
  ])('mentions in the output cannot ping (%o)', (profile, expected) => {
    const reply = renderResult(printed(MENTIONS), profile, LIMITS);
    expect(shownBlock(reply, profile)).toBe(expected);
    if (profile.escape === 'discord') {
      expect(reply.text).not.toMatch(/@(everyone|here)|<[@#][^\u200b]/i);
      expect(shownBlock(reply, profile).replace(ZWSP, '')).toBe(MENTIONS); // looks the same
    }
    if (profile.escape === 'slack') expect(reply.text).not.toMatch(/[<>]/);
  });
});

describe('renderResult: cutting long output', () => {
  const tenThousandLines = Array.from({ length: 10_000 }, (_, i) => `line ${i}`).join('\n') + '\n';

  it.each<[PlatformProfile, number, number, string]>([
    [DISCORD, 20, 10, '… 9,970 lines hidden (full output in output.txt)'],
    [SLACK, 27, 13, '… 9,960 lines hidden (full output in output.txt)'],
    [CONSOLE, 20, 10, '… 9,970 lines hidden (full output in output.txt)'],
  ])('10,000 lines: the head, a marker, the tail and the whole output attached (%o)', (profile, head, tail, marker) => {
    const reply = renderResult(printed(tenThousandLines), profile, LIMITS);
    expect(shownBlock(reply, profile).split('\n')).toEqual([...lineList(0, head), marker, ...lineList(10_000 - tail, 10_000)]);
    expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
    expect(reply.attachments).toHaveLength(1);
    const [file] = reply.attachments;
    expect(file?.name).toBe('output.txt');
    expect(file?.contentType).toBe('text/plain; charset=utf-8');
    expect(file?.data.toString('utf8')).toBe(tenThousandLines);
    expect(file?.data.toString('utf8').split('\n')).toHaveLength(10_001);
  });

  it('a profile without limits shows everything', () => {
    const unlimited: PlatformProfile = { ...CONSOLE, maxChars: Infinity, maxLines: Infinity };
    const reply = renderResult(printed(tenThousandLines), unlimited, LIMITS);
    expect(shownBlock(reply, unlimited)).toBe(tenThousandLines.trimEnd());
    expect(reply.attachments).toEqual([]);
  });

  it.each<[PlatformProfile]>(PROFILES.map((p) => [p]))('a 20,000-character line is cut by characters (%o)', (profile) => {
    const reply = renderResult(printed('x'.repeat(20_000)), profile, LIMITS);
    const shown = shownOutput(reply, profile);
    expect(shown).toMatch(/^x+$/);
    const hidden = 20_000 - shown.length;
    expect(shownBlock(reply, profile)).toBe(`${shown}\n… ${hidden.toLocaleString('en-US')} characters hidden (full output in output.txt)`);
    expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
    expect(reply.text.length).toBeGreaterThan(profile.maxChars - 100); // the room is used, not wasted
    expect(reply.attachments[0]?.data.length).toBe(20_000);
  });

  it('10,000 lines then a crash: the traceback ends the reply, and the marker counts exactly what is hidden', () => {
    const output = `${tenThousandLines}${TRACEBACK.join('\n')}\n`;
    for (const [profile, head, tail, traceback] of [
      [DISCORD, 20, 10, TRACEBACK],
      [SLACK, 27, 13, TRACEBACK.map((line) => line.replace('<module>', '&lt;module&gt;'))],
    ] as const) {
      const reply = renderResult(printed(output, { status: 'error', exitCode: 1 }), profile, LIMITS);
      const hidden = 10_003 - head - tail;
      expect(shownBlock(reply, profile).split('\n')).toEqual([
        ...lineList(0, head),
        `… ${hidden.toLocaleString('en-US')} lines hidden (full output in output.txt)`,
        ...lineList(10_000 - (tail - TRACEBACK.length), 10_000),
        ...traceback,
      ]);
      expect(reply.text.endsWith(`${traceback.join('\n')}\n${FENCE}`)).toBe(true);
      expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
      expect(reply.attachments[0]?.data.toString('utf8')).toBe(output);
    }
  });

  it('blank lines next to the cut are hidden, and counted', () => {
    const output = `${tenThousandLines}\n\n\n${TRACEBACK.join('\n')}`;
    const { head, marker, tail } = previewParts(renderResult(printed(output), DISCORD, LIMITS), DISCORD);
    expect(head).toBe(lineList(0, 20).join('\n'));
    expect(tail).toBe([...lineList(9_996, 10_000), '', '', '', ...TRACEBACK].join('\n'));
    expect(marker).toBe('… 9,976 lines hidden (full output in output.txt)'); // 10,006 lines, 30 shown

    // The empty lines right at a cut are not shown: the head and the tail never start or end blank.
    const gappy = `${lineList(0, 20).join('\n')}\n\n\n${lineList(20, 40).join('\n\n')}`;
    const parts = previewParts(renderResult(printed(gappy), DISCORD, LIMITS), DISCORD);
    expect(parts.head.endsWith('line 19')).toBe(true);
    expect(parts.tail.startsWith('line ')).toBe(true);
  });

  it('a giant first line then a short tail: the start of the line, then the tail', () => {
    const reply = renderResult(printed(`${'y'.repeat(5000)}\nsecond\nthird\n`), DISCORD, LIMITS);
    const shown = shownOutput(reply, DISCORD);
    expect(shown).toMatch(/^y+$/);
    expect(shownBlock(reply, DISCORD)).toBe(
      `${shown}\n… ${(5000 - shown.length).toLocaleString('en-US')} characters hidden (full output in output.txt)\nsecond\nthird`,
    );
  });

  it('a giant first line then many lines: both counts', () => {
    const reply = renderResult(printed(`${'y'.repeat(5000)}\n${lineList(0, 40).join('\n')}`), DISCORD, LIMITS);
    const { head, marker, tail } = previewParts(reply, DISCORD);
    expect(head).toMatch(/^y+$/);
    expect(marker).toBe(`… ${(5000 - head.length).toLocaleString('en-US')} characters and 30 lines hidden (full output in output.txt)`);
    expect(tail).toBe(lineList(30, 40).join('\n'));
  });

  it('a long last line after short ones: its start and its end, the middle counted', () => {
    const reply = renderResult(printed(`a\nb\n${'z'.repeat(3000)}`), DISCORD, LIMITS);
    const { head, marker, tail } = previewParts(reply, DISCORD);
    expect(head).toMatch(/^a\nb\nz+$/);
    expect(tail).toMatch(/^z+$/);
    expect(marker).toBe(`… ${(3000 - (head.length - 4) - tail.length).toLocaleString('en-US')} characters hidden (full output in output.txt)`);
    expect(reply.text.length).toBeLessThanOrEqual(DISCORD.maxChars);
    expect(reply.text.length).toBeGreaterThan(DISCORD.maxChars - 100); // the room is used, not wasted
  });

  it('one line hidden, singular', () => {
    const output = Array.from({ length: 31 }, (_, i) => String(i)).join('\n');
    const lines = shownBlock(renderResult(printed(output), DISCORD, LIMITS), DISCORD).split('\n');
    expect(lines).toHaveLength(31);
    expect(lines[20]).toBe('… 1 line hidden (full output in output.txt)');
    expect(lines.at(-1)).toBe('30');
  });

  it('a profile too small for a head and a tail shows the head alone', () => {
    const oneLine: PlatformProfile = { ...DISCORD, maxLines: 1 };
    expect(shownBlock(renderResult(printed(tenThousandLines), oneLine, LIMITS), oneLine)).toBe(
      'line 0\n… 9,999 lines hidden (full output in output.txt)',
    );
    const tiny: PlatformProfile = { ...DISCORD, maxChars: 120 };
    const reply = renderResult(printed(tenThousandLines), tiny, LIMITS);
    expect(reply.text.length).toBeLessThanOrEqual(120);
    expect(shownBlock(reply, tiny).startsWith('line 0\n')).toBe(true);
    expect(shownBlock(reply, tiny).split('\n').at(-1)).toMatch(MARKER_LINE); // no fragment of a tail after it
  });

  it('counts hidden characters before escaping (an & is one character, not &amp;)', () => {
    const reply = renderResult(printed('&'.repeat(5000)), SLACK, LIMITS);
    const shown = shownOutput(reply, SLACK);
    expect(shown).toMatch(/^(&amp;)+$/);
    const hidden = 5000 - shown.length / 5;
    expect(shownBlock(reply, SLACK).endsWith(`… ${hidden.toLocaleString('en-US')} characters hidden (full output in output.txt)`)).toBe(true);
  });

  it('a last line that only escaping makes too long: its end, counted before escaping', () => {
    // 400 characters fit the tail's room; 400 × `&amp;` do not.
    const output = `${lineList(0, 50).join('\n')}\n${'&'.repeat(400)}`;
    const reply = renderResult(printed(output), SLACK, LIMITS);
    const { head, marker, tail } = previewParts(reply, SLACK);
    expect(head).toBe(lineList(0, SLACK.maxLines - 1).join('\n'));
    expect(tail).toMatch(/^(&amp;)+$/);
    const shownOfLast = tail.length / 5;
    expect(marker).toBe(`… ${400 - shownOfLast} characters and ${50 - (SLACK.maxLines - 1)} lines hidden (full output in output.txt)`);
    expect(reply.text.length).toBeLessThanOrEqual(SLACK.maxChars);
  });

  it('a run cut by the sandbox is flagged by its status; the preview may still be whole', () => {
    const reply = renderResult(printed('partial', { status: 'output_limit' }), DISCORD, LIMITS);
    expect(reply.statusLine).toBe('✂️ output limit (64 KiB) reached');
    expect(shownBlock(reply, DISCORD)).toBe('partial');
    expect(attached(reply)).toBe(false);
  });
});

const CLUSTERS: [string, string][] = [
  ['ZWJ family emoji', FAMILY],
  ['combining accent', 'e\u0301'],
  ['stacked combining marks', 'a\u0300\u0301\u0302\u0303'],
  ['flag (regional indicator pair)', '🇫🇷'],
  ['skin-tone modifier', '👍🏽'],
  ['astral letter (surrogate pair)', '𝔘'],
  ['Hangul syllable from jamo', '\u1100\u1161\u11a8'],
];

describe('renderResult: never splits a character at the cut', () => {
  it.each(CLUSTERS)('%s, at the end of the head', (_name, cluster) => {
    const whole = new RegExp(`^x*(?:${cluster})*$`, 'u');
    for (const profile of CHAT) {
      // Slide the clusters across the cut point, one UTF-16 unit at a time.
      for (let pad = profile.maxChars - 120; pad < profile.maxChars; pad += 1) {
        const reply = renderResult(printed('x'.repeat(pad) + cluster.repeat(Math.ceil(300 / cluster.length))), profile, LIMITS);
        expect(attached(reply)).toBe(true);
        expect(reply.text).not.toMatch(LONE_SURROGATE);
        expect(shownOutput(reply, profile)).toMatch(whole);
        expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
      }
    }
  });

  it.each(CLUSTERS)('%s, at the start of the tail', (_name, cluster) => {
    const whole = new RegExp(`^(?:${cluster})*x*$`, 'u');
    const lines = `${lineList(0, 50).join('\n')}\n`;
    for (const profile of CHAT) {
      // How long a tail this profile shows of a giant last line; then slide the clusters across
      // the tail's start, one UTF-16 unit at a time (the marker's counts may shift it a little).
      const room = previewParts(renderResult(printed(`${lines}${'x'.repeat(5000)}`), profile, LIMITS), profile).tail.length;
      expect(room).toBeGreaterThan(100);
      for (let pad = room - 120; pad < room + 10; pad += 1) {
        const output = `${lines}${cluster.repeat(Math.ceil(300 / cluster.length))}${'x'.repeat(pad)}`;
        const reply = renderResult(printed(output), profile, LIMITS);
        const { head, marker, tail } = previewParts(reply, profile);
        expect(head).toBe(lineList(0, profile.maxLines - 1).join('\n')); // the tail is one line
        expect(marker).toBeDefined();
        expect(reply.text).not.toMatch(LONE_SURROGATE);
        expect(tail).toMatch(whole);
        expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
      }
    }
  });
});

describe('renderResult: the time waited', () => {
  it.each<[string, RunResult, RenderContext, string]>([
    ['the wait, when it is about the run', run({ durationMs: 40 }), { waitedMs: 470 }, '✅ done in 0.47 s'],
    ['the wait and the run, when they differ noticeably', run({ durationMs: 40 }), { waitedMs: 2500 }, '✅ done in 2.50 s (ran 0.04 s)'],
    ['just under a second more: the wait alone', run({ durationMs: 40 }), { waitedMs: 1039 }, '✅ done in 1.04 s'],
    ['a second more: both', run({ durationMs: 40 }), { waitedMs: 1040 }, '✅ done in 1.04 s (ran 0.04 s)'],
    ['never less than the run (the clocks differ)', run({ durationMs: 123 }), { waitedMs: 100 }, '✅ done in 0.12 s'],
    ['no wait known: the run', run({ durationMs: 123 }), {}, '✅ done in 0.12 s'],
    ['a timeout: the limit', run({ status: 'timeout', durationMs: 5000 }), { waitedMs: 5400 }, '⏱️ timed out after 5 s'],
    [
      'a timeout after a long queue: the limit and the wait',
      run({ status: 'timeout', durationMs: 5000 }),
      { waitedMs: 12_000 },
      '⏱️ timed out after 5 s (waited 12.0 s)',
    ],
    ['an error: as it was', run({ status: 'error', exitCode: 1, durationMs: 40 }), { waitedMs: 3000 }, '❌ exited with code 1'],
  ])('%s', (_name, result, context, expected) => {
    for (const profile of PROFILES) expect(renderResult(result, profile, LIMITS, context).statusLine).toBe(expected);
  });

  it('without a context, the run time as before', () => {
    expect(renderResult(run({ durationMs: 40 }), DISCORD, LIMITS).statusLine).toBe('✅ done in 0.04 s');
  });
});

const EOF_TRACEBACK = ['Traceback (most recent call last):', '  File "main.py", line 1, in <module>', 'EOFError: EOF when reading a line'];
const moduleTraceback = (name: string) => [
  'Traceback (most recent call last):',
  '  File "main.py", line 1, in <module>',
  `ModuleNotFoundError: No module named '${name}'`,
];
const crashed = (lines: readonly string[], over: Partial<RunResult> = {}) =>
  run({ status: 'error', exitCode: 1, output: `${lines.join('\n')}\n`, ...over });
/** The hint under the output, from its 💡 to the end ('' when there is none; the outputs here have no 💡). */
const below = (reply: Reply) => {
  const at = reply.text.indexOf('\n💡');
  return at === -1 ? '' : reply.text.slice(at + 1);
};

describe('renderResult: hints', () => {
  const NO_INPUT_HINT = [
    '💡 input() found nothing to read. Give the program its input in a stdin block after the code, one line per input() call:',
    '```stdin',
    'first line',
    'second line',
    '```',
  ].join('\n');

  it('input() with no stdin: how to give it, under the output', () => {
    const reply = renderResult(crashed(EOF_TRACEBACK), CONSOLE, LIMITS, { stdinGiven: false });
    expect(reply.text).toBe(`❌ exited with code 1\n${EOF_TRACEBACK.join('\n')}\n${NO_INPUT_HINT}`);
    expect(renderResult(crashed(EOF_TRACEBACK), CONSOLE, LIMITS, {}).text).toBe(reply.text);
  });

  it.each<[PlatformProfile, string, string]>([
    [DISCORD, EOF_TRACEBACK.join('\n'), NO_INPUT_HINT.replace(/`/g, '\\`')],
    [SLACK, EOF_TRACEBACK.join('\n').replace('<module>', '&lt;module&gt;'), NO_INPUT_HINT.replace(/`(?=`)/g, '`\u200b')],
  ])('the hint is escaped, after the closed block (%o)', (profile, block, hint) => {
    const reply = renderResult(crashed(EOF_TRACEBACK), profile, LIMITS, { stdinGiven: false });
    expect(reply.text).toBe(`❌ exited with code 1\n${FENCE}\n${block}\n${FENCE}\n${hint}`);
  });

  it('input() past the end of the given stdin: one line per call', () => {
    const reply = renderResult(crashed(EOF_TRACEBACK), CONSOLE, LIMITS, { stdinGiven: true });
    expect(below(reply)).toBe(
      '💡 input() ran out of input: the stdin block has fewer lines than the program reads. Give it one line per input() call.',
    );
  });

  it.each<[string, string[]]>([
    ['numpy and sympy', ['numpy', 'sympy']],
    ['one package', ['numpy']],
  ])('a missing module, with what is installed: %s', (_name, packages) => {
    const reply = renderResult(crashed(moduleTraceback('requests')), CONSOLE, LIMITS, { packages });
    expect(below(reply)).toBe(
      "💡 'requests' isn't installed in the sandbox, and it has no network to install it. " +
        `Installed besides the standard library: ${packages.join(', ')}.`,
    );
  });

  it('a missing module, with only the standard library installed', () => {
    const reply = renderResult(crashed(moduleTraceback('requests')), CONSOLE, LIMITS, { packages: [] });
    expect(below(reply)).toBe(
      "💡 'requests' isn't installed in the sandbox, and it has no network to install it. Only the standard library is installed.",
    );
  });

  it('a missing module on a custom image: no list to give', () => {
    const reply = renderResult(crashed(moduleTraceback('requests')), CONSOLE, LIMITS, { stdinGiven: false });
    expect(below(reply)).toBe(
      "💡 'requests' isn't installed in the sandbox, and it has no network to install it. " +
        "It runs a custom image, whose list of packages isn't available here.",
    );
  });

  it("names a dotted module as Python does, whatever follows it", () => {
    const lines = [...moduleTraceback('a.b').slice(0, 2), "ModuleNotFoundError: No module named 'a.b'; 'a' is not a package"];
    expect(below(renderResult(crashed(lines), CONSOLE, LIMITS, { packages: [] }))).toMatch(/^💡 'a\.b' isn't installed/);
  });

  it('a long package list is shortened to fit: a quarter of the reply at most', () => {
    const packages = Array.from({ length: 300 }, (_, i) => `package-${i}`);
    for (const profile of PROFILES) {
      const reply = renderResult(crashed(moduleTraceback('requests')), profile, LIMITS, { packages });
      const hint = below(reply);
      expect(hint).toMatch(/: package\\?-0, package\\?-1, .* and \d+ more\.$/);
      expect(hint.length).toBeLessThanOrEqual(profile.maxChars / 4);
      const listed = hint.slice(hint.lastIndexOf(': ')).split(', ').length;
      expect(hint.endsWith(` and ${300 - listed} more.`)).toBe(true);
      expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
    }
  });

  it.each<[PlatformProfile, string]>([
    [DISCORD, "💡 '@\u200beveryone <@\u200b1\\> \\`x\\`' isn't installed"],
    [SLACK, "💡 '@everyone &lt;@1&gt; `x`' isn't installed"],
  ])('the module name is escaped (%o)', (profile, start) => {
    const reply = renderResult(crashed(moduleTraceback('@everyone <@1> `x`')), profile, LIMITS, { packages: [] });
    expect(below(reply).startsWith(start)).toBe(true);
  });

  it('the hint takes room from the output, never the length limit; the traceback stays visible', () => {
    const output = [...Array.from({ length: 10_000 }, (_, i) => `${i} ${'x'.repeat(200)}`), ...EOF_TRACEBACK];
    for (const profile of PROFILES) {
      const reply = renderResult(crashed(output), profile, LIMITS, { stdinGiven: false });
      expect(reply.text.length).toBeLessThanOrEqual(profile.maxChars);
      expect(reply.text.length).toBeGreaterThan(profile.maxChars - 100);
      expect(reply.text).toContain(`EOFError: EOF when reading a line${profile.codeFences ? `\n${FENCE}` : ''}\n💡 input()`);
      expect(reply.attachments).toHaveLength(1);
    }
  });

  it('no hint when even the shortest does not fit', () => {
    const tiny: PlatformProfile = { ...CONSOLE, maxChars: 200 };
    const reply = renderResult(crashed(moduleTraceback('requests')), tiny, LIMITS, { packages: ['numpy'] });
    expect(reply.text).not.toContain('💡');
    expect(reply.text.length).toBeLessThanOrEqual(200);
  });

  it.each<[string, RunResult]>([
    ['the words printed, then more output', crashed([...EOF_TRACEBACK, 'bye'])],
    ['the error line without a traceback', crashed(['EOFError: EOF when reading a line'])],
    ['a traceback printed by a program that then succeeded', crashed(EOF_TRACEBACK, { status: 'ok', exitCode: 0 })],
    ['a traceback cut by the output limit', crashed(EOF_TRACEBACK, { status: 'output_limit', exitCode: null })],
    ['another error', crashed([...EOF_TRACEBACK.slice(0, 2), 'ValueError: EOF when reading a line'])],
    ['another module error', crashed([...EOF_TRACEBACK.slice(0, 2), "ImportError: cannot import name 'x' from 'numpy'"])],
  ])('no hint: %s', (_name, result) => {
    for (const profile of PROFILES) {
      expect(renderResult(result, profile, LIMITS, { stdinGiven: false, packages: ['numpy'] }).text).not.toContain('💡');
    }
  });

  it('no hint without a context, as before', () => {
    for (const profile of PROFILES) {
      expect(renderResult(crashed(EOF_TRACEBACK), profile, LIMITS).text).not.toContain('💡');
      expect(renderResult(crashed(moduleTraceback('requests')), profile, LIMITS).text).not.toContain('💡');
    }
  });
});

describe('renderNotice', () => {
  it.each<[PlatformProfile, string, string]>([
    [DISCORD, 'slow down, try again in 12 s', 'slow down, try again in 12 s'],
    [DISCORD, 'only Python code can be run (got ```js)', 'only Python code can be run (got \\`\\`\\`js)'],
    [SLACK, 'only Python code can be run (got ```js)', 'only Python code can be run (got `\u200b`\u200b`js)'],
    [CONSOLE, 'only Python code can be run (got ```js)', 'only Python code can be run (got ```js)'],
    [DISCORD, 'no code found — wrap your code in ```py … ```', 'no code found — wrap your code in \\`\\`\\`py … \\`\\`\\`'],
    [DISCORD, 'hi @everyone <@1>', 'hi @\u200beveryone <@\u200b1\\>'],
    [SLACK, 'hi <!here> & <@U1>', 'hi &lt;!here&gt; &amp; &lt;@U1&gt;'],
    [CONSOLE, 'evil\x1b]0;t\x07 \u202eok', 'evil ok'],
  ])('%o: %s', (profile, message, expected) => {
    expect(renderNotice(message, profile)).toEqual({
      kind: 'notice',
      status: null,
      statusLine: expected,
      text: expected,
      attachments: [],
    });
  });

  it('is clipped to the platform limit', () => {
    const reply = renderNotice('🙂'.repeat(5000), DISCORD);
    expect(reply.text.length).toBeLessThanOrEqual(DISCORD.maxChars);
    expect(reply.text).not.toMatch(LONE_SURROGATE);
  });
});

// ---- property: any output, any profile: the reply fits and stays safe ----------------------------

/** mulberry32: a tiny deterministic PRNG, so a failure reproduces from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'x', 'hello world ', '\n', '\n\n\n', '   ', '\t', FENCE, '``', '`', '@everyone', '@here', '<@123>', '<@!9>',
  '<@&7>', '<#5>', '<!channel>', '&', '<', '>', FAMILY, 'e\u0301', 'a\u0300\u0301\u0302', '🇫🇷', '👍🏽', '𝔘',
  '中文', '\x1b[31m', '\x1b]0;title\x07', '\x1b', '\u202e', '\u2066', '\r', '\r\n', '\x00', '\x7f', '\x9b',
  '\ufffd', '…', '\u200b', '\u200d', 'Traceback (most recent call last):\n  File "<stdin>", line 1\n',
];

function generatedOutput(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const count = pick([0, 1, 5, 40, 400, 3000]);
  let output = '';
  for (let i = 0; i < count; i += 1) {
    const piece = pick(PIECES);
    output += random() < 0.03 ? piece.repeat(1 + Math.floor(random() * 4000)) : piece;
  }
  return output;
}

function generatedProfile(random: () => number): PlatformProfile {
  const base = [DISCORD, SLACK, CONSOLE][Math.floor(random() * 3)] as PlatformProfile;
  if (random() < 0.6) return base;
  const escape = (['discord', 'slack', 'plain'] as EscapeMode[])[Math.floor(random() * 3)] as EscapeMode;
  return {
    ...base,
    escape,
    codeFences: random() < 0.8,
    maxChars: 1 + Math.floor(random() * 500),
    maxLines: 1 + Math.floor(random() * 12),
  };
}

/** Many short lines, then a crash-like end: pieces, lines of clusters, sometimes one giant line. */
function generatedTailOutput(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const lines = Array.from({ length: pick([1, 2, 12, 45, 3000]) }, (_, i) => `${i} ${pick(PIECES)}`);
  let tail = '';
  for (let i = pick([0, 1, 4, 30]); i > 0; i -= 1) tail += random() < 0.3 ? '\n' : pick(PIECES);
  if (random() < 0.5) tail += `\n${pick(PIECES).repeat(1 + Math.floor(random() * 1500))}${'x'.repeat(Math.floor(random() * 1000))}`;
  return `${lines.join('\n')}\n${tail}${pick(['', '\n', '\n\n'])}`;
}

/** Chat-sized profiles, often plain and unfenced so the preview can be checked character by character. */
function generatedTailProfile(random: () => number): PlatformProfile {
  const base = generatedProfile(random);
  const sized = random() < 0.5 ? { ...base, maxChars: 100 + Math.floor(random() * 3000), maxLines: 2 + Math.floor(random() * 50) } : base;
  return random() < 0.5 ? { ...sized, escape: 'plain', codeFences: false } : sized;
}

const GRAPHEME_SEGMENTER = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Whether a grapheme cluster starts at `at`, segmenting its whole line (a line always starts one). */
function isGraphemeBoundary(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  if (at === lineStart || at === lineStart + line.length) return true;
  return GRAPHEME_SEGMENTER.segment(line).containing(at - lineStart)?.index === at - lineStart;
}

/** The marker a cut showing `[0, headEnd)` and `[tailStart, end)` of `display` must carry, counted afresh. */
function expectedMarker(display: string, headEnd: number, tailStart: number): string {
  let chars = 0;
  let lines = 0;
  let start = 0;
  for (const line of display.split('\n')) {
    const end = start + line.length;
    if (start >= headEnd && end <= tailStart) lines += 1; // no part of it shown
    else {
      const from = Math.min(Math.max(headEnd - start, 0), line.length);
      const to = Math.min(Math.max(tailStart - start, 0), line.length);
      if (to > from) chars += [...line.slice(from, to)].length;
    }
    start = end + 1;
  }
  const count = (n: number, unit: string) => `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;
  const parts = [...(chars > 0 ? [count(chars, 'character')] : []), ...(lines > 0 ? [count(lines, 'line')] : [])];
  return `…${parts.length > 0 ? ` ${parts.join(' and ')} hidden` : ''} (full output in output.txt)`;
}

/** Whether the preview is cut: it has a marker line, or there is no block for output there was. */
function previewCut(output: string, reply: Reply, profile: PlatformProfile): boolean {
  const block = shownBlock(reply, profile);
  return block === '' ? output !== '' : previewParts(reply, profile).marker !== undefined;
}

/** A cut preview's shape on any profile; on a plain unfenced one, exactly what is shown and hidden. */
function expectPreviewShape(output: string, reply: Reply, profile: PlatformProfile, context: string): void {
  const { head, marker, tail } = previewParts(reply, profile);
  expect(shownBlock(reply, profile).split('\n').filter((line) => MARKER_LINE.test(line)).length, context).toBe(marker ? 1 : 0);
  if (marker === undefined) return;
  const headLines = head === '' ? [] : head.split('\n');
  const tailLines = tail === '' ? [] : tail.split('\n');
  expect(headLines.at(-1), context).not.toBe(''); // no blank line next to the marker
  expect(tailLines[0], context).not.toBe('');
  expect(headLines.length + tailLines.length, context).toBeLessThanOrEqual(profile.maxLines);
  if (profile.escape !== 'plain' || profile.codeFences) return;

  const display = cleanTerminalText(output).trimEnd();
  expect(display.startsWith(head), context).toBe(true);
  expect(display.endsWith(tail), context).toBe(true);
  const tailStart = display.length - tail.length;
  expect(head.length, context).toBeLessThan(tailStart);
  expect(isGraphemeBoundary(display, head.length), `${context}: head ends inside a character`).toBe(true);
  expect(isGraphemeBoundary(display, tailStart), `${context}: tail starts inside a character`).toBe(true);
  expect(marker, context).toBe(expectedMarker(display, head.length, tailStart));
}

/** What holds of every reply: it fits, and nothing in it can break out, ping or reorder text. */
function expectSafe(reply: Reply, profile: PlatformProfile, context: string): void {
  expect(reply.text.length, context).toBeLessThanOrEqual(profile.maxChars);
  expect(reply.text, context).not.toMatch(LONE_SURROGATE);
  expect(reply.text, context).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  expect(reply.text, context).not.toMatch(BIDI);
  if (profile.codeFences && profile.escape !== 'plain') expect([0, 2], context).toContain(reply.text.match(/```/g)?.length ?? 0);
  if (profile.escape === 'discord') expect(reply.text, context).not.toMatch(/@(everyone|here)|<[@#][^\u200b]/i);
  if (profile.escape === 'slack') expect(reply.text, context).not.toMatch(/[<>]/);
}

const STATUSES: RunStatus[] = ['ok', 'error', 'timeout', 'memory', 'output_limit', 'killed', 'cancelled', 'sandbox_error'];

describe('renderResult: properties over generated inputs', () => {
  it('fits the platform, keeps fences balanced, never pings, never splits a character', () => {
    for (let seed = 1; seed <= 600; seed += 1) {
      const random = prng(seed);
      const output = generatedOutput(random);
      const profile = generatedProfile(random);
      const status = STATUSES[Math.floor(random() * STATUSES.length)] as RunStatus;
      const result = run({
        status,
        output: status === 'sandbox_error' ? '' : output,
        exitCode: 1,
        signal: 'SIGKILL',
        reason: status === 'sandbox_error' ? output : undefined,
      });
      const reply = renderResult(result, profile, LIMITS);
      const context = `seed ${seed}, ${JSON.stringify(profile)}`;

      expectSafe(reply, profile, context);
      if (status === 'sandbox_error') {
        expect(reply.text, context).toBe(reply.statusLine);
        expect(reply.attachments, context).toEqual([]);
        continue;
      }
      const block = shownBlock(reply, profile);
      if (profile.codeFences) expect(block, context).not.toContain(FENCE);
      if (block !== '' && profile.codeFences) expect(reply.text.endsWith(`\n${FENCE}`), context).toBe(true);
      const cut = previewCut(output, reply, profile);
      expect(reply.attachments.length, context).toBe(cut ? 1 : 0);
      if (cut) expect(reply.attachments[0]?.data.toString('utf8'), context).toBe(Buffer.from(result.output).toString('utf8'));
      expectPreviewShape(output, reply, profile, context);
    }
  });

  it('head and tail: fit, never split a character, and the marker counts exactly what is hidden', () => {
    let tails = 0;
    for (let seed = 1; seed <= 600; seed += 1) {
      const random = prng(seed);
      const output = generatedTailOutput(random);
      const profile = generatedTailProfile(random);
      const reply = renderResult(run({ status: 'error', output }), profile, LIMITS);
      const context = `seed ${seed}, ${JSON.stringify(profile)}`;

      expectSafe(reply, profile, context);
      if (profile.codeFences) expect(shownBlock(reply, profile), context).not.toContain(FENCE);
      expect(reply.attachments.length, context).toBe(previewCut(output, reply, profile) ? 1 : 0);
      expectPreviewShape(output, reply, profile, context);
      if (previewParts(reply, profile).tail !== '') tails += 1;
    }
    expect(tails).toBeGreaterThan(150); // the generated cases do exercise the tail
  });

  it('with a context: hints and wait times fit too, escaped like everything else', () => {
    let hints = 0;
    for (let seed = 1; seed <= 600; seed += 1) {
      const random = prng(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const name = Array.from({ length: pick([1, 3, 40]) }, () => pick(PIECES)).join('').replace(/['\n]/g, '');
      const error = pick([EOF_TRACEBACK, moduleTraceback(name), moduleTraceback('requests')]);
      const output = `${generatedTailOutput(random).trimEnd()}\n${error.join('\n')}${pick(['', '\n'])}`;
      const profile = random() < 0.5 ? generatedProfile(random) : generatedTailProfile(random);
      const context: RenderContext = {
        waitedMs: Math.floor(random() * 100_000),
        stdinGiven: random() < 0.5,
        ...(random() < 0.7 ? { packages: Array.from({ length: pick([0, 2, 300]) }, () => pick(PIECES)) } : {}),
      };
      const result = run({ status: pick(['error', 'error', 'ok', 'timeout']), exitCode: 1, output, durationMs: Math.floor(random() * 6000) });
      const reply = renderResult(result, profile, LIMITS, context);
      const where = `seed ${seed}, ${JSON.stringify(profile)}`;

      expectSafe(reply, profile, where);
      expect(reply.attachments.length, where).toBeLessThanOrEqual(1);
      if (reply.attachments.length > 0) expect(reply.attachments[0]?.data.toString('utf8'), where).toBe(output);
      if (reply.text.includes('💡')) hints += 1;
    }
    expect(hints).toBeGreaterThan(150); // the generated cases do show hints
  });
});
