import type { SandboxLimits } from '../sandbox/limits.js';
import type { RunResult } from '../sandbox/result.js';
import { cleanTerminalText, escapeCode, escapeProse, neutraliseFences } from './escape.js';
import type { EscapeMode, PlatformProfile } from './platforms.js';
import type { Attachment, Reply } from './reply.js';

/**
 * RunResult → Reply (DESIGN.md §2): a status line people understand, then the output in a code
 * block, cut to the platform's limits (given as data in a PlatformProfile). Whenever anything is
 * cut, the full output is attached as output.txt, so a cut never loses information. The marker
 * line ("… 9,970 more lines") is the last line of `Reply.output`, inside the block, so an adapter
 * that lays out statusLine and output itself keeps it. Hidden counts are of the output as shown
 * (cleaned, before escaping): an `&` is one character, not `&amp;`.
 *
 * Guarantee: `text.length <= profile.maxChars`, whatever the output.
 */

/** The configured quotas a status line cites ("timed out after 5 s"). */
export type RenderLimits = Pick<SandboxLimits, 'timeoutS' | 'memoryMb' | 'outputKb'>;

export const FULL_OUTPUT_NAME = 'output.txt';
const NO_OUTPUT = '[no output]';
const NO_VISIBLE_OUTPUT = '[no visible output]'; // it printed only whitespace
const OPEN_FENCE = '```\n';
const CLOSE_FENCE = '\n```';
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function renderResult(result: RunResult, profile: PlatformProfile, limits: RenderLimits): Reply {
  const status = clip(statusLine(result, limits, profile.escape), profile.maxChars);
  const reply = (output: string, text: string, truncated: boolean): Reply => ({
    kind: 'result',
    status: result.status,
    statusLine: status,
    output,
    text,
    truncated,
    attachments: truncated ? [fullOutput(result.output)] : [],
  });
  // The code never ran: there is no output to show, only why.
  if (result.status === 'sandbox_error') return reply('', status, false);

  const fences = profile.codeFences ? OPEN_FENCE.length + CLOSE_FENCE.length : 0;
  const room = profile.maxChars - status.length - 1 - fences;
  const preview = previewOutput(result.output, profile, room);
  // A profile too small for even a marker line: the status line alone, and the file.
  if (!preview) return reply('', status, result.output !== '');
  return reply(preview.body, `${status}\n${frame(preview.body, profile)}`, preview.cut);
}

/** A reply where nothing ran: "slow down, try again in 12 s", "no code found — …". Shown literally. */
export function renderNotice(message: string, profile: PlatformProfile): Reply {
  const text = clip(escapeProse(message, profile.escape), profile.maxChars);
  return { kind: 'notice', status: null, statusLine: text, output: '', text, truncated: false, attachments: [] };
}

/** One line saying how the run ended, citing the configured limit that stopped it. */
export function statusLine(result: RunResult, limits: RenderLimits, mode: EscapeMode): string {
  switch (result.status) {
    case 'ok':
      return `✅ done in ${seconds(result.durationMs)} s`;
    case 'error':
      return result.exitCode === null ? '❌ failed' : `❌ exited with code ${result.exitCode}`;
    case 'timeout':
      return `⏱️ timed out after ${COUNT.format(limits.timeoutS)} s`;
    case 'memory':
      return `💾 memory limit (${COUNT.format(limits.memoryMb)} MiB) exceeded`;
    case 'output_limit':
      return `✂️ output limit (${COUNT.format(limits.outputKb)} KiB) reached`;
    case 'killed':
      return `💀 killed by ${signalText(result.signal, mode)}`;
    case 'sandbox_error':
      return `🚫 sandbox unavailable: ${escapeProse(oneLine(result.reason ?? 'unknown error'), mode)}`;
  }
}

// Signals our own limits send, named for what they mean to a user.
const SIGNAL_MEANINGS: Readonly<Record<string, string>> = {
  SIGXCPU: 'CPU time limit',
  SIGXFSZ: 'file size limit',
  SIGSEGV: 'segmentation fault',
};

function signalText(signal: string | null, mode: EscapeMode): string {
  if (signal === null) return 'a signal';
  const meaning = SIGNAL_MEANINGS[signal];
  const name = escapeProse(oneLine(signal), mode);
  return meaning ? `${name} (${meaning})` : name;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s.toFixed(s < 10 ? 2 : 1);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

interface Preview {
  /** Escaped output for inside the block, ending with a marker line when cut. */
  body: string;
  cut: boolean;
}

/** The output's block body within `room` characters, or undefined when not even a marker fits. */
function previewOutput(output: string, profile: PlatformProfile, room: number): Preview | undefined {
  // Trailing blank lines carry nothing, and chat clients drop them anyway.
  const display = cleanTerminalText(output).trimEnd();
  if (display === '') {
    const body = output === '' ? NO_OUTPUT : NO_VISIBLE_OUTPUT;
    return body.length <= room ? { body, cut: false } : undefined;
  }
  const whole = escapeBody(display, profile);
  if (lineCount(display) <= profile.maxLines && whole.length <= room) return { body: whole, cut: false };
  return cutPreview(display, profile, room);
}

function cutPreview(display: string, profile: PlatformProfile, room: number): Preview | undefined {
  // Room for the longest marker this output could need (its counts only shrink as more is shown).
  const reserve = 1 + cutMarker({ chars: display.length, lines: lineCount(display) }).length;
  if (room < reserve) return undefined;
  const candidate = firstLines(display, profile.maxLines);
  let end = longestPrefixWithin(candidate, room - reserve, (s) => escapeBody(s, profile).length);
  if (end > 0 && display[end - 1] === '\n') end -= 1; // cut at a line end: no blank line before the marker
  const shown = escapeBody(display.slice(0, end), profile);
  const marker = cutMarker(hiddenAfter(display, end));
  return { body: shown === '' ? marker : `${shown}\n${marker}`, cut: true };
}

/** Escaped for the platform; inside a ``` block, backtick runs are broken up whatever the mode. */
function escapeBody(text: string, profile: PlatformProfile): string {
  const escaped = escapeCode(text, profile.escape);
  return profile.codeFences ? neutraliseFences(escaped) : escaped;
}

interface Hidden {
  /** Characters (code points) left on the line where the cut fell. */
  chars: number;
  /** Whole lines after that line. */
  lines: number;
}

function hiddenAfter(display: string, end: number): Hidden {
  const lineEnd = display.indexOf('\n', end);
  if (lineEnd === -1) return { chars: codePointCount(display.slice(end)), lines: 0 };
  return { chars: codePointCount(display.slice(end, lineEnd)), lines: lineCount(display.slice(lineEnd)) - 1 };
}

/** "… 9,970 more lines", "… 18,012 more characters", or both. */
function cutMarker(hidden: Hidden): string {
  const parts: string[] = [];
  if (hidden.chars > 0) parts.push(more(hidden.chars, 'character'));
  if (hidden.lines > 0) parts.push(more(hidden.lines, 'line'));
  return `… ${parts.join(' and ') || 'more'} (full output in ${FULL_OUTPUT_NAME})`;
}

function more(n: number, unit: string): string {
  return `${COUNT.format(n)} more ${unit}${n === 1 ? '' : 's'}`;
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}

function firstLines(text: string, maxLines: number): string {
  if (maxLines < 1) return '';
  let newline = -1;
  for (let line = 0; line < maxLines; line += 1) {
    newline = text.indexOf('\n', newline + 1);
    if (newline === -1) return text;
  }
  return text.slice(0, newline);
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * The end of the longest prefix of `text` ending on a grapheme boundary whose cost is at most
 * `room`: never splits a surrogate pair, a ZWJ emoji sequence or a letter from its combining marks.
 * `cost` must be at least the prefix's length and grow with it (escaping only adds characters).
 */
function longestPrefixWithin(text: string, room: number, cost: (prefix: string) => number): number {
  if (cost(text) <= room) return text.length;
  const boundaries = graphemeBoundaries(text, room);
  let lo = 0; // boundaries[0] is 0, which always fits
  let hi = boundaries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cost(text.slice(0, boundaries[mid] ?? 0)) <= room) lo = mid;
    else hi = mid - 1;
  }
  return boundaries[lo] ?? 0;
}

/** Grapheme boundaries of `text` up to `limit`, ascending, starting with 0. */
function graphemeBoundaries(text: string, limit: number): number[] {
  // Segment only a window: whether a cluster breaks before position p depends on what precedes p
  // and the character at p, so every boundary short of the window's end is a true one.
  const window = text.slice(0, Math.min(text.length, limit + 8));
  const boundaries = [0];
  for (const { index, segment } of GRAPHEMES.segment(window)) {
    const end = index + segment.length;
    if (end > limit || (end === window.length && window.length < text.length)) break;
    boundaries.push(end);
  }
  return boundaries;
}

/** Cut to `max` characters on a grapheme boundary, with an ellipsis when anything was dropped. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  return `${text.slice(0, longestPrefixWithin(text, max - 1, (s) => s.length))}…`;
}

function frame(body: string, profile: PlatformProfile): string {
  return profile.codeFences ? `${OPEN_FENCE}${body}${CLOSE_FENCE}` : body;
}

function fullOutput(output: string): Attachment {
  return { name: FULL_OUTPUT_NAME, contentType: 'text/plain; charset=utf-8', data: Buffer.from(output, 'utf8') };
}
