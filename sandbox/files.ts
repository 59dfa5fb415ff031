import type { FileLimits } from './limits.js';
import type { FilesLeftOut, LeftOutReason, RunFile } from './result.js';

/**
 * Files in and out of a run. In: the request carries them, and the bootstrap writes them to the
 * working directory before the code runs. Out: once the program has ended, the bootstrap collects
 * what the run created or changed there and sends it after its end-of-run marker on stdout
 * (bootstrap.py), as a report: per file a line `file <path bytes> <size>`, then the path and the
 * file's bytes; last, a line `left_out` with a ` <reason>=<count>` per reason. (Plain text, not
 * JSON: the sandbox writes it without an import, as it reads the request, sandbox/marshal.ts.)
 *
 * The report comes from inside the sandbox, so it is read here as untrusted: every limit is
 * applied again, paths are checked, and a malformed report gives no files at all.
 */

/** The longest line of a report: `file`, two numbers, or `left_out` and every reason's count. */
const LINE_MAX_BYTES = 128;
/** The longest path collected: 16 folders deep, each name at most 255 bytes, and the slashes. */
const PATH_MAX_BYTES = 4096;
const REASONS: readonly LeftOutReason[] = ['count', 'size', 'total', 'walk'];

/** The most bytes a report may have under these limits: the marker refuses a longer one. */
export function maxReportBytes(limits: FileLimits): number {
  return limits.totalKb * 1024 + (limits.count + 1) * (LINE_MAX_BYTES + PATH_MAX_BYTES);
}

/** What the bootstrap gets to collect with (its side of the same limits). */
export function collectLimits(limits: FileLimits): Record<string, number> {
  return {
    files: limits.count,
    file_bytes: limits.fileKb * 1024,
    total_bytes: limits.totalKb * 1024,
    seconds: limits.collectS,
    entries: 10_000, // directory entries looked at, however deep: a tree of many small dirs ends here
    depth: 16,
  };
}

/** The files in a report, within the limits, and how many were left out and why. */
export function readFilesReport(report: Buffer, limits: FileLimits): { files: RunFile[]; leftOut: FilesLeftOut } {
  const files: RunFile[] = [];
  const leftOut: FilesLeftOut = {};
  const skip = (reason: LeftOutReason, count = 1) => (leftOut[reason] = (leftOut[reason] ?? 0) + count);
  let total = 0;
  let at = 0;
  while (at < report.length) {
    const end = report.indexOf(0x0a, at);
    if (end < 0 || end - at > LINE_MAX_BYTES) return malformed();
    const line = parseLine(report.subarray(at, end).toString('latin1'));
    at = end + 1;
    if (line === null) return malformed();
    if ('leftOut' in line) {
      if (at !== report.length) return malformed();
      for (const reason of REASONS) if (line.leftOut[reason] !== undefined) skip(reason, line.leftOut[reason]);
      return { files, leftOut };
    }
    if (at + line.pathBytes + line.size > report.length) return malformed();
    const path = report.subarray(at, at + line.pathBytes).toString('utf8'); // bytes that aren't UTF-8 read as U+FFFD
    at += line.pathBytes;
    const bytes = report.subarray(at, at + line.size);
    at += line.size;
    if (!isRelativePath(path)) return malformed();
    if (files.length === limits.count) skip('count');
    else if (line.size > limits.fileKb * 1024) skip('size');
    else if (total + line.size > limits.totalKb * 1024) skip('total');
    else {
      files.push({ name: path, bytes: new Uint8Array(bytes) });
      total += line.size;
    }
  }
  return malformed();
}

/** A report that breaks its own format returns nothing: it can't be trusted in part. */
function malformed(): { files: RunFile[]; leftOut: FilesLeftOut } {
  return { files: [], leftOut: { unreadable: 0 } };
}

type Line = { pathBytes: number; size: number } | { leftOut: FilesLeftOut };

const FILE_LINE = /^file (0|[1-9]\d{0,9}) (0|[1-9]\d{0,9})$/;
const COUNT = /^(0|[1-9]\d{0,9})$/;

function parseLine(line: string): Line | null {
  const file = FILE_LINE.exec(line);
  if (file) {
    const pathBytes = Number(file[1]);
    return pathBytes > 0 && pathBytes <= PATH_MAX_BYTES ? { pathBytes, size: Number(file[2]) } : null;
  }
  const [word, ...counts] = line.split(' ');
  if (word !== 'left_out') return null;
  const leftOut: FilesLeftOut = {};
  for (const entry of counts) {
    const [reason = '', count = '', ...rest] = entry.split('=');
    if (rest.length || !(REASONS as readonly string[]).includes(reason) || !COUNT.test(count)) return null;
    leftOut[reason as LeftOutReason] = Number(count);
  }
  return { leftOut };
}

/** A path inside the working directory: relative, no empty, `.` or `..` parts, no NUL. */
function isRelativePath(path: string): boolean {
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\0'));
}

/** Why these input files (names and sizes) can't go into a run, or null when they can. */
export function refuseInputFiles(files: ReadonlyArray<{ name: string; size: number }>, limits: FileLimits): string | null {
  if (files.length > limits.count) return `${files.length} files are attached, over the limit of ${limits.count}`;
  const names = new Set<string>();
  let total = 0;
  for (const { name, size } of files) {
    if (!isInputName(name)) return `"${name}" can't be a file name here: use a plain name (or folder/name), with no part starting with a dot`;
    if (names.has(name)) return `two files are called "${name}"`;
    names.add(name);
    if (size > limits.fileKb * 1024) return `${name} is ${formatKiB(size)}, over the limit of ${formatKiB(limits.fileKb * 1024)} per file`;
    total += size;
  }
  if (total > limits.totalKb * 1024) return `the files come to ${formatKiB(total)}, over the limit of ${formatKiB(limits.totalKb * 1024)} in all`;
  return null;
}

/** Folders an input file may be in: as deep as the collector looks. */
const INPUT_DEPTH = 16;

/**
 * A plain file name, or a relative path of them ("mod/lib.py"): no empty part, no NUL, each part
 * at most 255 bytes and without a leading dot (`.`, `..`, and the dot-names the sandbox itself
 * keeps in /tmp, like `.cache`; they would never come back anyway).
 */
function isInputName(name: string): boolean {
  const parts = name.split('/');
  return parts.length <= INPUT_DEPTH && parts.every((part) => part !== '' && !part.startsWith('.') && !part.includes('\0') && Buffer.byteLength(part) <= 255);
}

export function formatKiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
