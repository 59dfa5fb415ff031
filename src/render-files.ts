import { formatKiB } from '../sandbox/files.js';
import type { FileLimits } from '../sandbox/limits.js';
import type { FilesLeftOut, RunFile } from '../sandbox/result.js';
import { escapeBody, frame } from './blocks.js';
import { cleanTerminalText, escapeProse } from './escape.js';
import type { PlatformProfile } from './platforms.js';
import type { Attachment } from './reply.js';

/**
 * The files a run left, as a reply carries them: images and most files attached (images render
 * inline on Discord and Slack), a short text file shown under the output, and one line saying what
 * was not sent and why. Pure.
 */

export interface RenderedFiles {
  /** Short text files, each a heading line and a block, escaped and framed for the platform. */
  shown: string[];
  attachments: Attachment[];
  /** "2 files not sent: over 10 files", escaped; undefined when every file was sent. */
  notSent?: string;
}

/** Text files this short (and in these formats) are shown in the message rather than attached. */
const SHOWN_EXTENSIONS = new Set(['txt', 'csv', 'tsv', 'json', 'md', 'log']);
const SHOWN_MAX_LINES = 10;
const SHOWN_MAX_CHARS = 600;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  json: 'application/json',
  md: 'text/markdown; charset=utf-8',
  html: 'text/plain; charset=utf-8', // never rendered as a page
};

/**
 * `attachmentsTaken`: attachments the reply already has (output.txt), which count against the
 * platform's limit per message. `room`: characters the reply can spare for shown files.
 */
export function renderFiles(
  files: readonly RunFile[],
  leftOut: FilesLeftOut,
  profile: PlatformProfile,
  limits: FileLimits,
  attachmentsTaken: number,
  room: number,
): RenderedFiles {
  const shown: string[] = [];
  const attachments: Attachment[] = [];
  const reasons: string[] = [];
  let notSent = 0;
  const leave = (count: number, reason: string) => {
    notSent += count;
    if (!reasons.includes(reason)) reasons.push(reason);
  };
  let shownChars = 0;
  for (const file of files) {
    const text = shownText(file);
    if (text !== undefined) {
      const section = `${escapeProse(`📄 ${displayName(file.name)}`, profile.escape)}\n${frame(escapeBody(text, profile), profile)}`;
      if (shownChars + section.length + 1 <= room) {
        shown.push(section);
        shownChars += section.length + 1;
        continue;
      }
    }
    if (attachmentsTaken + attachments.length >= profile.maxAttachments) leave(1, `over ${profile.maxAttachments} attachments per message`);
    else if (file.bytes.length > profile.maxAttachmentBytes) leave(1, `over the upload limit (${formatKiB(profile.maxAttachmentBytes)})`);
    else attachments.push(attachment(file));
  }
  const sandboxReasons: Record<keyof FilesLeftOut, string> = {
    count: `over ${limits.count} files`,
    size: `over ${formatKiB(limits.fileKb * 1024)} each`,
    total: `over ${formatKiB(limits.totalKb * 1024)} in all`,
    walk: 'too many files and folders to look through',
    unreadable: 'the sandbox could not send them',
  };
  for (const [reason, count] of Object.entries(leftOut) as [keyof FilesLeftOut, number][]) leave(count, sandboxReasons[reason]);
  if (reasons.length === 0) return { shown, attachments };
  const what = notSent === 0 ? 'some files not sent' : `${notSent} ${notSent === 1 ? 'file' : 'files'} not sent`;
  return { shown, attachments, notSent: escapeProse(`${what}: ${reasons.join('; ')}`, profile.escape) };
}

/** The file's text, when it is short text worth showing in the message itself. */
function shownText(file: RunFile): string | undefined {
  if (!SHOWN_EXTENSIONS.has(extension(file.name)) || file.bytes.length > SHOWN_MAX_CHARS * 4) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    return undefined; // not UTF-8: attached as it is
  }
  const display = cleanTerminalText(text).trimEnd();
  if (display === '' || display.length > SHOWN_MAX_CHARS || display.split('\n').length > SHOWN_MAX_LINES) return undefined;
  return display;
}

function attachment(file: RunFile): Attachment {
  return {
    name: attachmentName(file.name),
    contentType: CONTENT_TYPES[extension(file.name)] ?? 'application/octet-stream',
    data: Buffer.from(file.bytes),
  };
}

/**
 * A flat name the platforms accept: folders joined with `_`, controls and separators replaced.
 * (Platforms never read mentions or markup in file names; shown names are escaped as prose.)
 */
export function attachmentName(path: string): string {
  return path.replace(/[\p{Cc}\p{Cf}\\/:*?"<>|]/gu, '_').slice(-200);
}

/** The path as shown in a heading: on one line, controls replaced. */
function displayName(path: string): string {
  return path.replace(/[\p{Cc}\p{Cf}]/gu, '_');
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > name.lastIndexOf('/') ? name.slice(dot + 1).toLowerCase() : '';
}
