import { compareTs, nextId, nextTs } from './ids.js';

/** A message as conversations.history returns it (plus `channel`, for convenience). */
export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  blocks?: unknown;
  files?: StoredFile[];
  edited?: { user: string; ts: string };
  [extra: string]: unknown;
}

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  size: number;
  mimetype: string;
  /** The uploaded bytes, set once the upload URL received them. */
  data?: Buffer;
  completed: boolean;
  /** Where the fake serves the bytes (with the bot token only), as Slack's files.slack.com does. */
  url_private?: string;
  url_private_download?: string;
}

/** Where a file's bytes are downloaded from: shown, then served, by the fake's own HTTP server. */
export type FileUrls = Required<Pick<StoredFile, 'url_private' | 'url_private_download'>>;

/** Everything the fake "remembers": messages per channel, ephemerals, files. */
export class Store {
  readonly messages = new Map<string, StoredMessage[]>();
  readonly ephemerals: { channel: string; user: string; text: string; message_ts: string; args: unknown }[] = [];
  readonly files = new Map<string, StoredFile>();
  /** Reaction names the bot added, keyed `${channel}/${ts}`. */
  readonly reactions = new Map<string, string[]>();

  /** Add a message (bot-posted or seeded by a test as a user's message). */
  add(channel: string, fields: Partial<StoredMessage> & { text?: string }): StoredMessage {
    const msg: StoredMessage = { ...fields, type: 'message', channel, ts: fields.ts ?? nextTs(), text: fields.text ?? '' };
    const list = this.messages.get(channel) ?? [];
    list.push(msg);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    this.messages.set(channel, list);
    return msg;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((m) => m.ts === ts);
  }

  remove(channel: string, ts: string): boolean {
    const list = this.messages.get(channel);
    const i = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (list === undefined || i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** All messages everywhere, oldest first: handy for assertions. */
  all(): StoredMessage[] {
    return [...this.messages.values()].flat().sort((a, b) => compareTs(a.ts, b.ts));
  }

  /**
   * Deletes a file, as Slack does: gone from every message that shared it, and a share that
   * carried nothing else goes too.
   */
  deleteFile(id: string): boolean {
    if (!this.files.delete(id)) return false;
    for (const [channel, list] of this.messages) {
      for (const message of [...list]) {
        if (!message.files?.some((file) => file.id === id)) continue;
        message.files = message.files.filter((file) => file.id !== id);
        if (message.files.length === 0 && message.text === '') this.remove(channel, message.ts);
      }
    }
    return true;
  }

  newFile(name: string, size: number): StoredFile {
    const file: StoredFile = { id: nextId('F'), name, title: name, size, mimetype: mimeOf(name), completed: false };
    this.files.set(file.id, file);
    return file;
  }

  /** A file a user shared: uploaded already, so its bytes are here and it can be downloaded. */
  sharedFile(name: string, data: Buffer, urls: (file: StoredFile) => FileUrls, mimetype?: string): StoredFile {
    const file = this.newFile(name, data.length);
    return Object.assign(file, { data, completed: true, ...(mimetype === undefined ? {} : { mimetype }), ...urls(file) });
  }
}

function mimeOf(name: string): string {
  if (name.endsWith('.txt') || name.endsWith('.py')) return 'text/plain';
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.csv')) return 'text/csv';
  return 'application/octet-stream';
}
