import type { SandboxLimits } from '../sandbox/limits.js';
import type { RunResult } from '../sandbox/result.js';
import { CLOSE_FENCE, escapeBody, frame, OPEN_FENCE } from './blocks.js';
import { cleanTerminalText, escapeProse } from './escape.js';
import { hintsFor, type HintContext } from './hints.js';
import { renderFiles, type RenderedFiles } from './render-files.js';
import type { EscapeMode, PlatformProfile } from './platforms.js';
import type { Attachment, Reply } from './reply.js';

/**
 * RunResult → Reply (docs/architecture.md §2): a status line people understand, then the output in a code
 * block, cut to the platform's limits (given as data in a PlatformProfile), then maybe a hint for a
 * common surprise. Whenever anything is cut, the full output is attached as output.txt, so a cut
 * never loses information. A cut preview shows the head AND the tail of the output (a crash's
 * traceback is at the end), with a marker line ("… 9,970 lines hidden") between them. Hidden counts
 * are of the output as shown (cleaned, before escaping): an `&` is one character, not `&amp;`.
 *
 * Guarantee: `text.length <= profile.maxChars`, whatever the output and the context.
 */

/** The configured quotas a status line cites ("timed out after 5 s"). */
export type RenderLimits = Pick<SandboxLimits, 'timeoutS' | 'memoryMb' | 'outputKb' | 'files'>;

/** What the caller knows about a run besides its result. Without it: no wait time, no hints. */
export interface RenderContext extends HintContext {
  /** From the request to the result (queueing, container start and the run), in milliseconds. */
  waitedMs?: number;
}

export const FULL_OUTPUT_NAME = 'output.txt';
const NO_OUTPUT = '[no output]';
const NO_VISIBLE_OUTPUT = '[no visible output]'; // it printed only whitespace
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function renderResult(
  result: RunResult,
  profile: PlatformProfile,
  limits: RenderLimits,
  context?: RenderContext,
): Reply {
  const status = clip(statusLine(result, limits, profile.escape, context?.waitedMs), profile.maxChars);
  const reply = (text: string, cut: boolean, files?: RenderedFiles): Reply => ({
    kind: 'result',
    status: result.status,
    statusLine: status,
    text,
    attachments: [...(cut ? [fullOutput(result.output)] : []), ...(files?.attachments ?? [])],
  });
  // The code never ran: there is no output to show, only why.
  if (result.status === 'sandbox_error') return reply(status, false);

  // Trailing blank lines carry nothing, and chat clients drop them anyway.
  const display = cleanTerminalText(result.output).trimEnd();
  const hint = context && fittedHint(hintsFor(result.status, display, context), profile, status.length);
  const below = hint === undefined ? '' : `\n${hint}`;
  // The files first: short text files may take a quarter of the reply, the output gets the rest.
  const filesFor = (attachmentsTaken: number) =>
    renderFiles(result.files, result.filesLeftOut, profile, limits.files, attachmentsTaken, Math.floor(profile.maxChars / FILES_SHARE));
  let files = filesFor(0);
  const fences = profile.codeFences ? OPEN_FENCE.length + CLOSE_FENCE.length : 0;
  const room = profile.maxChars - status.length - 1 - fences - filesText(files).length - below.length;
  const preview = previewOutput(result.output, display, profile, room);
  const cut = preview ? preview.cut : result.output !== '';
  // output.txt takes an attachment's place: a file may then be one too many.
  if (cut && files.attachments.length >= profile.maxAttachments) files = filesFor(1);
  const after = filesText(files) + below;
  // A profile too small for even a marker line: the status line (and files, hint) alone, and the file.
  if (!preview) return reply(clip(`${status}${after}`, profile.maxChars), cut, files);
  return reply(clip(`${status}\n${frame(preview.body, profile)}${after}`, profile.maxChars), cut, files);
}

/** The files' part of the text, under the output: shown files, then what was not sent. */
function filesText({ shown, notSent }: RenderedFiles): string {
  return [...shown, ...(notSent === undefined ? [] : [notSent])].map((part) => `\n${part}`).join('');
}

// Short text files shown in the reply may take a quarter of it at most: the output matters more.
const FILES_SHARE = 4;

/** A reply where nothing ran: "slow down, try again in 12 s", "no code found — …". Shown literally. */
export function renderNotice(message: string, profile: PlatformProfile): Reply {
  const text = clip(escapeProse(message, profile.escape), profile.maxChars);
  return { kind: 'notice', status: null, statusLine: text, text, attachments: [] };
}

// Queueing and a container start shorter than this pass for the run itself; longer, the status
// line says both what the user waited and what the program ran.
const NOTICEABLE_OVERHEAD_MS = 1000;

/** One line saying how the run ended, and in which Python (its full version, when the sandbox says). */
function statusLine(result: RunResult, limits: RenderLimits, mode: EscapeMode, waitedMs: number | undefined): string {
  // Said only of a run that ended by itself or at a limit: a cancelled one says why instead.
  const ranIn = result.python === null || result.status === 'cancelled' ? '' : ` · Python ${escapeProse(oneLine(result.python), mode)}`;
  return endingLine(result, limits, mode, waitedMs) + ranIn;
}

/** How the run ended, citing the configured limit that stopped it. */
function endingLine(result: RunResult, limits: RenderLimits, mode: EscapeMode, waitedMs: number | undefined): string {
  // The two clocks differ; the user never waited less than the program ran.
  const waited = Math.max(waitedMs ?? result.durationMs, result.durationMs);
  const overhead = waited - result.durationMs >= NOTICEABLE_OVERHEAD_MS;
  switch (result.status) {
    case 'ok':
      return `✅ done in ${seconds(waited)} s${overhead ? ` (ran ${seconds(result.durationMs)} s)` : ''}`;
    case 'error':
      return result.exitCode === null ? '❌ failed' : `❌ exited with code ${result.exitCode}`;
    case 'timeout':
      return `⏱️ timed out after ${COUNT.format(limits.timeoutS)} s${overhead ? ` (waited ${seconds(waited)} s)` : ''}`;
    case 'memory':
      return `💾 memory limit (${COUNT.format(limits.memoryMb)} MiB) exceeded`;
    case 'output_limit':
      return `✂️ output limit (${COUNT.format(limits.outputKb)} KiB) reached`;
    case 'killed':
      return `💀 killed by ${signalText(result.signal, mode)}`;
    case 'cancelled':
      return result.reason === undefined ? '🛑 cancelled' : `🛑 cancelled: ${escapeProse(oneLine(result.reason), mode)}`;
    case 'sandbox_error':
      return `🚫 sandbox unavailable: ${escapeProse(oneLine(result.reason ?? 'unknown error'), mode)}`;
  }
}

// A hint may take a quarter of the reply at most: the output matters more.
const HINT_SHARE = 4;

/** The first hint that fits under a status line of `statusLength`, escaped; undefined when none does. */
function fittedHint(hints: Iterable<string>, profile: PlatformProfile, statusLength: number): string | undefined {
  const room = Math.min(Math.floor(profile.maxChars / HINT_SHARE), profile.maxChars - statusLength - 1);
  for (const hint of hints) {
    const escaped = escapeProse(hint, profile.escape);
    if (escaped.length <= room) return escaped;
  }
  return undefined;
}

// Signals our own limits send, named for what they mean to a user.
const SIGNAL_MEANINGS: Readonly<Record<string, string>> = {
  SIGXCPU: 'CPU time limit',
  SIGXFSZ: 'file size limit',
  SIGSEGV: 'segmentation fault',
  // Sandpiper's own kills are reported as timeout/output limit; gVisor doesn't always tell Docker
  // about an OOM kill, so an unexplained SIGKILL is nearly always the memory limit.
  SIGKILL: 'most likely the memory limit',
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

/**
 * The output's block body within `room` characters, or undefined when not even a marker fits.
 * `display` is the output cleaned for reading, without trailing whitespace.
 */
function previewOutput(output: string, display: string, profile: PlatformProfile, room: number): Preview | undefined {
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
  const cost = (text: string) => escapeBody(text, profile).length;
  const budget = room - reserve;
  const cut = headAndTail(display, profile.maxLines, budget, cost) ?? headOnly(display, profile.maxLines, budget, cost);
  const head = escapeBody(display.slice(0, cut.headEnd), profile);
  const tail = escapeBody(display.slice(cut.tailStart), profile);
  const marker = cutMarker(hiddenBetween(display, cut.headEnd, cut.tailStart));
  return { body: [head, marker, tail].filter((part) => part !== '').join('\n'), cut: true };
}

/** What a cut preview shows of the (cleaned) output: `[0, headEnd)` and `[tailStart, end)`. */
interface Cut {
  headEnd: number;
  tailStart: number;
}

type Cost = (text: string) => number;

// Enough for a short Python traceback: its header, a frame or two (two lines each) and the error.
const MIN_TAIL_LINES = 8;
// The end of a last line too long for the tail is shown only if that end says something.
const MIN_LINE_END = 40;

/**
 * The first lines and the last ones, within `maxLines` lines and `room` characters in all (plus
 * the newline between the marker and the tail). The tail gets a third of the room (at least
 * MIN_TAIL_LINES lines) and the head all the rest. Undefined when the two can't both be shown:
 * one giant line (the tail would only be more of it), or a profile too small for both.
 */
function headAndTail(display: string, maxLines: number, room: number, cost: Cost): Cut | undefined {
  const tailLines = Math.min(Math.max(Math.floor(maxLines / 3), MIN_TAIL_LINES), lineCount(display) - 1, maxLines - 1);
  if (tailLines < 1) return undefined;
  const tailStart = tailStartWithin(display, tailLines, Math.floor(room / 3), cost);
  if (tailStart === display.length) return undefined;
  const tail = display.slice(tailStart);
  // The head may run into the tail's line (a long last line shows its start and its end).
  const candidate = firstLines(display.slice(0, tailStart), maxLines - lineCount(tail));
  const headEnd = withoutTrailingNewlines(display, longestPrefixWithin(candidate, room - cost(tail) - 1, cost));
  const hidden = hiddenBetween(display, headEnd, tailStart);
  // A marker hiding nothing would be a lie; a lone tail would hide what the program printed first.
  return headEnd > 0 && hidden.chars + hidden.lines > 0 ? { headEnd, tailStart } : undefined;
}

/** The first lines only, as far as they fit (a marker alone when not even one character does). */
function headOnly(display: string, maxLines: number, room: number, cost: Cost): Cut {
  const end = longestPrefixWithin(firstLines(display, maxLines), room, cost);
  return { headEnd: withoutTrailingNewlines(display, end), tailStart: display.length };
}

/** Cut at a line end: no blank line before the marker (those lines are counted as hidden). */
function withoutTrailingNewlines(display: string, end: number): number {
  while (end > 0 && display[end - 1] === '\n') end -= 1;
  return end;
}

/**
 * Where the tail starts: the most of the last `maxLines` whole lines that fit in `room`, without
 * leading blank lines (none right after the marker). When even the last line is too long, its end,
 * from a grapheme boundary; `display.length` (no tail) when the room is too small for that.
 */
function tailStartWithin(display: string, maxLines: number, room: number, cost: Cost): number {
  let start: number | undefined;
  let lineStart = display.length + 1; // as if a newline followed the output
  for (let line = 0; line < maxLines && lineStart >= 2; line += 1) {
    const newline = display.lastIndexOf('\n', lineStart - 2);
    if (newline === -1) break; // the first line is the head's
    // The length check first: cost is at least the length, and a giant line is costly to escape.
    if (display.length - newline - 1 > room || cost(display.slice(newline + 1)) > room) break;
    start = lineStart = newline + 1;
  }
  if (start !== undefined) {
    while (display[start] === '\n') start += 1; // the output doesn't end with one (it is trimmed)
    return start;
  }
  if (room < MIN_LINE_END) return display.length;
  const lastLine = display.lastIndexOf('\n') + 1;
  return lastLine + longestSuffixWithin(display.slice(lastLine), room, cost);
}

interface Hidden {
  /** Characters (code points) not shown on the lines shown in part. */
  chars: number;
  /** Lines not shown at all. */
  lines: number;
}

/**
 * What `display.slice(start, end)` hides, `start` being where the head ends and `end` where the
 * tail starts: an empty head (`start` 0) or tail (`end` at the end) shows nothing of its line.
 */
function hiddenBetween(display: string, start: number, end: number): Hidden {
  // The newlines around the lines hidden whole; one before the output when no head is shown.
  const first = start === 0 ? -1 : display.indexOf('\n', start);
  // All within one line: the rest of the head's line, or the middle of a line split in two.
  if (start > 0 && (first === -1 || first >= end)) return { chars: codePointCount(display.slice(start, end)), lines: 0 };
  const last = end === display.length ? end : display.lastIndexOf('\n', end - 1);
  return {
    chars: (start > 0 ? codePointCount(display.slice(start, first)) : 0) + codePointCount(display.slice(last + 1, end)),
    lines: first < last ? newlineCount(display.slice(first + 1, last)) + 1 : 0,
  };
}

/** "… 9,970 lines hidden", "… 18,012 characters hidden", or both. */
function cutMarker(hidden: Hidden): string {
  const parts: string[] = [];
  if (hidden.chars > 0) parts.push(plural(hidden.chars, 'character'));
  if (hidden.lines > 0) parts.push(plural(hidden.lines, 'line'));
  const what = parts.length > 0 ? ` ${parts.join(' and ')} hidden` : '';
  return `…${what} (full output in ${FULL_OUTPUT_NAME})`;
}

function plural(n: number, unit: string): string {
  return `${COUNT.format(n)} ${unit}${n === 1 ? '' : 's'}`;
}

function lineCount(text: string): number {
  return newlineCount(text) + 1;
}

function newlineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
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

/**
 * The start of the longest suffix of `text` starting on a grapheme boundary whose cost is at most
 * `room` (`text.length` when none does): the mirror of longestPrefixWithin, for the tail.
 */
function longestSuffixWithin(text: string, room: number, cost: (suffix: string) => number): number {
  if (cost(text) <= room) return 0;
  // No suffix longer than `room` can fit (cost is at least the length); escaping may allow less.
  const starts = graphemeStarts(text, Math.max(0, text.length - room));
  if (starts === undefined) return text.length;
  let lo = 0;
  let hi = starts.length - 1; // the last start is text.length: the empty suffix always fits
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cost(text.slice(starts[mid] ?? text.length)) <= room) hi = mid;
    else lo = mid + 1;
  }
  return starts[lo] ?? text.length;
}

/**
 * Grapheme boundaries of `text` from `from` on, ascending, ending with `text.length`; undefined
 * when no window to find them exactly starts near enough before `from`. `text` starts a line.
 */
function graphemeStarts(text: string, from: number): number[] | undefined {
  // Segment only a window (the segmenter's cost grows with the square of its input). Whether a
  // cluster breaks at p depends on the character before p and at p, and on runs of combining
  // marks, ZWJ or flag halves before p: a window starting at a character none of those is exact
  // after its first position (and one starting a line is exact everywhere).
  let start = Math.max(0, from - 1);
  while (start > 0 && from - start <= SEGMENT_LOOKBACK && !startsFresh(text, start)) start -= 1;
  if (start > 0 && !startsFresh(text, start)) return undefined; // e.g. a very long run of flags
  const starts: number[] = [];
  for (const { index } of GRAPHEMES.segment(text.slice(start))) if (start + index >= from) starts.push(start + index);
  starts.push(text.length);
  return starts;
}

const SEGMENT_LOOKBACK = 1024;
// Characters a cluster can extend back across: marks (virama linkers among them), emoji
// modifiers, ZWJ/ZWNJ, regional indicators (flags pair up from the start of their run).
const CLUSTER_CONTINUATION = /^[\p{Grapheme_Extend}\p{Emoji_Modifier}\p{Regional_Indicator}\u200c\u200d]$/u;

function startsFresh(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit >= 0xdc00 && unit <= 0xdfff) return false; // the second half of a surrogate pair
  return !CLUSTER_CONTINUATION.test(String.fromCodePoint(text.codePointAt(index) ?? 0));
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

function fullOutput(output: string): Attachment {
  return { name: FULL_OUTPUT_NAME, contentType: 'text/plain; charset=utf-8', data: Buffer.from(output, 'utf8') };
}
