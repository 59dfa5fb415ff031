import type { IncomingFile } from '../../src/incoming-files.js';

/** A file on a Slack message, as events and the Web API describe it: the fields read here. */
export interface RawFile {
  id?: string;
  name?: string | null;
  title?: string | null;
  size?: number;
  mimetype?: string;
  url_private?: string;
  url_private_download?: string;
}

/** What the adapter keeps of a file attached to a message: enough to list it and download it. */
export interface SharedFile {
  name: string;
  size: number;
  mimetype: string | undefined;
  /** Where Slack serves its bytes to the bot; none when Slack describes the file only by id. */
  url: string | undefined;
}

/** Fetches a shared file's bytes (with the bot token: Slack's file links are private). */
export type FileDownloader = (file: SharedFile) => Promise<Uint8Array>;

/**
 * The files of a message. Kept even when Slack leaves out what is needed to download one (a file
 * of another workspace is shown only by id): its download then fails and the run is refused with
 * the reason, instead of running code that would not find it.
 */
export function sharedFiles(raw: readonly RawFile[] | undefined): SharedFile[] {
  return (raw ?? []).map((file) => ({
    name: file.name ?? file.title ?? file.id ?? 'file',
    size: file.size ?? 0,
    mimetype: file.mimetype,
    url: file.url_private_download ?? file.url_private,
  }));
}

/** A message's files, as files for its run (downloaded only if the run goes ahead). */
export function attachedFiles(files: readonly SharedFile[], download: FileDownloader): IncomingFile[] {
  return files.map((file) => ({ name: file.name, size: file.size, download: () => download(file) }));
}

/**
 * Downloads with `Authorization: Bearer <token>`, and only from Slack (see `mayCarryToken`): a
 * file link comes from an event, and the token must never go anywhere else.
 */
export function slackDownloader(token: string, apiUrl: string): FileDownloader {
  const api = new URL(apiUrl);
  return async (file) => {
    if (file.url === undefined) throw new Error('Slack gave no link to download it');
    const url = new URL(file.url);
    if (!mayCarryToken(url, api)) throw new Error(`it is on ${url.host}, not on Slack, and the bot's token goes only to Slack`);
    // Not followed: a redirect would take the token along, and Slack answers a download it allows with the file.
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
    if (!response.ok) throw new Error(`Slack answered ${response.status}`);
    if (isSignInPage(response, file)) throw new Error('Slack answered with its sign-in page: the app needs the files:read scope');
    return new Uint8Array(await response.arrayBuffer());
  };
}

/**
 * Whether a file link is Slack's, so the token may go with it: the configured API's own origin
 * (a proxy; the tests' fake Slack), or one of its host's subdomains over HTTPS (files.slack.com,
 * for the default https://slack.com/api/).
 */
export function mayCarryToken(url: URL, api: URL): boolean {
  if (url.origin === api.origin) return true;
  return url.protocol === 'https:' && url.hostname.endsWith(`.${api.hostname}`);
}

/** Slack answers a token it won't accept for a file (no files:read) with a web page and 200, not an error. */
function isSignInPage(response: Response, file: SharedFile): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/html') && file.mimetype !== 'text/html';
}
