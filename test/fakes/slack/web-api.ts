import type { Args } from './body.js';
import { compareTs, nextId, nextTs } from './ids.js';
import type { FileUrls, StoredFile, StoredMessage, Store } from './store.js';
import type { FakeTeam } from './team.js';

/** What a method handler may use besides its arguments. */
export interface ApiContext {
  store: Store;
  team: FakeTeam;
  /** ws:// URL that apps.connections.open hands out. */
  socketUrl: () => string;
  /** http:// URL the client must POST a file's bytes to. */
  uploadUrl: (fileId: string) => string;
  /** Where a stored file's bytes are downloaded from (GET, bot token only). */
  fileUrls: (file: StoredFile) => FileUrls;
}

export type ApiResult = Record<string, unknown> & { ok: boolean };
type Handler = (args: Args, ctx: ApiContext) => ApiResult;

const fail = (error: string): ApiResult => ({ ok: false, error });
const str = (args: Args, key: string): string | undefined => {
  const v = args[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
};
const bool = (args: Args, key: string): boolean => args[key] === true || args[key] === 'true' || args[key] === '1';

/** Answer one Web API call the way Slack would, token checks included. */
export function callMethod(method: string, args: Args, token: string | undefined, ctx: ApiContext): ApiResult {
  const authError = checkToken(method, token, ctx.team);
  if (authError !== undefined) return fail(authError);
  const handler = HANDLERS[method];
  return handler === undefined ? fail('unknown_method') : handler(args, ctx);
}

// Socket Mode's handshake wants the app-level token; everything else the bot token (Slack: not_allowed_token_type).
function checkToken(method: string, token: string | undefined, team: FakeTeam): string | undefined {
  if (token === undefined || token === '') return 'not_authed';
  const wanted = method === 'apps.connections.open' ? team.appToken : team.botToken;
  if (token === wanted) return undefined;
  return token === team.appToken || token === team.botToken ? 'not_allowed_token_type' : 'invalid_auth';
}

/** A file as the API (and an event) shows it: never the bytes, but where to download them. */
export function publicFile(f: StoredFile): Record<string, unknown> {
  const urls = f.url_private === undefined ? {} : { url_private: f.url_private, url_private_download: f.url_private_download };
  return { id: f.id, name: f.name, title: f.title, size: f.size, mimetype: f.mimetype, filetype: f.name.split('.').pop(), mode: 'hosted', ...urls };
}

/** A message as the API shows it (files without their bytes). */
function publicMessage(m: StoredMessage): Record<string, unknown> {
  return m.files === undefined ? { ...m } : { ...m, files: m.files.map(publicFile) };
}

function inRange(ts: string, args: Args): boolean {
  const inclusive = bool(args, 'inclusive');
  const oldest = str(args, 'oldest');
  const latest = str(args, 'latest');
  if (oldest !== undefined && (inclusive ? compareTs(ts, oldest) < 0 : compareTs(ts, oldest) <= 0)) return false;
  if (latest !== undefined && (inclusive ? compareTs(ts, latest) > 0 : compareTs(ts, latest) >= 0)) return false;
  return true;
}

function limitOf(args: Args, dflt: number): number {
  const n = Number(str(args, 'limit') ?? dflt);
  return Number.isFinite(n) && n > 0 ? n : dflt;
}

function botFields(team: FakeTeam): Partial<StoredMessage> {
  return { user: team.botUserId, bot_id: team.botId, app_id: team.appId, team: team.teamId };
}

const HANDLERS: Record<string, Handler> = {
  'api.test': (args) => ({ ok: true, args }),

  'auth.test': (_args, { team }) => ({
    ok: true,
    url: `https://${team.teamDomain}.slack.com/`,
    team: team.teamDomain,
    user: 'fake-bot',
    team_id: team.teamId,
    user_id: team.botUserId,
    bot_id: team.botId,
    is_enterprise_install: false,
  }),

  'apps.connections.open': (_args, { socketUrl }) => ({ ok: true, url: socketUrl() }),

  'chat.postMessage': (args, { store, team }) => {
    const channel = str(args, 'channel');
    if (channel === undefined) return fail('channel_not_found');
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) return fail('no_text');
    const threadTs = str(args, 'thread_ts');
    const msg = store.add(channel, {
      ...botFields(team),
      text: str(args, 'text') ?? '',
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    });
    const parent = threadTs === undefined ? undefined : store.find(channel, threadTs);
    if (parent !== undefined && parent.ts !== msg.ts) {
      parent.thread_ts = parent.ts;
      parent.reply_count = (typeof parent.reply_count === 'number' ? parent.reply_count : 0) + 1;
    }
    const { channel: _c, ...message } = publicMessage(msg);
    return { ok: true, channel, ts: msg.ts, message };
  },

  'chat.postEphemeral': (args, { store }) => {
    const channel = str(args, 'channel');
    const user = str(args, 'user');
    if (channel === undefined) return fail('channel_not_found');
    if (user === undefined) return fail('user_not_in_channel');
    const message_ts = nextTs();
    store.ephemerals.push({ channel, user, text: str(args, 'text') ?? '', message_ts, args });
    return { ok: true, message_ts };
  },

  'chat.update': (args, { store, team }) => {
    const channel = str(args, 'channel') ?? '';
    const msg = store.find(channel, str(args, 'ts') ?? '');
    if (msg === undefined) return fail('message_not_found');
    if (msg.bot_id !== team.botId) return fail('cant_update_message');
    if (args.text !== undefined) msg.text = str(args, 'text') ?? '';
    if (args.blocks !== undefined) msg.blocks = args.blocks;
    msg.edited = { user: team.botUserId, ts: nextTs() };
    return { ok: true, channel, ts: msg.ts, text: msg.text, message: publicMessage(msg) };
  },

  'chat.delete': (args, { store, team }) => {
    const channel = str(args, 'channel') ?? '';
    const ts = str(args, 'ts') ?? '';
    const msg = store.find(channel, ts);
    if (msg === undefined) return fail('message_not_found');
    if (msg.bot_id !== team.botId) return fail('cant_delete_message');
    store.remove(channel, ts);
    return { ok: true, channel, ts };
  },

  'chat.getPermalink': (args) => {
    const channel = str(args, 'channel') ?? '';
    const ts = str(args, 'message_ts') ?? '';
    return { ok: true, channel, permalink: `https://fake.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
  },

  // Reactions are kept per (channel, ts) whether or not the message is in the store: bots react to
  // user messages that tests usually don't bother to seed.
  'reactions.add': (args, { store }) => {
    const key = reactionKey(args);
    const name = str(args, 'name');
    if (key === undefined || name === undefined) return fail('invalid_arguments');
    const names = store.reactions.get(key) ?? [];
    if (names.includes(name)) return fail('already_reacted');
    store.reactions.set(key, [...names, name]);
    return { ok: true };
  },

  'reactions.remove': (args, { store }) => {
    const key = reactionKey(args);
    const name = str(args, 'name');
    const names = key === undefined ? undefined : store.reactions.get(key);
    if (key === undefined || name === undefined || names === undefined || !names.includes(name)) return fail('no_reaction');
    store.reactions.set(key, names.filter((n) => n !== name));
    return { ok: true };
  },

  'conversations.history': (args, { store }) => {
    const channel = str(args, 'channel');
    if (channel === undefined) return fail('channel_not_found');
    const top = (store.messages.get(channel) ?? []).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
    const matching = top.filter((m) => inRange(m.ts, args)).reverse(); // newest first, like Slack
    const limit = limitOf(args, 100);
    return page(matching.slice(0, limit).map(publicMessage), matching.length > limit);
  },

  'conversations.replies': (args, { store }) => {
    const channel = str(args, 'channel') ?? '';
    const msg = store.find(channel, str(args, 'ts') ?? '');
    if (msg === undefined) return fail('thread_not_found');
    const root = msg.thread_ts ?? msg.ts;
    const thread = (store.messages.get(channel) ?? []).filter((m) => m.ts === root || m.thread_ts === root);
    const matching = thread.filter((m) => inRange(m.ts, args)); // oldest first, parent first
    const limit = limitOf(args, 1000);
    return page(matching.slice(0, limit).map(publicMessage), matching.length > limit);
  },

  'conversations.info': (args) => {
    const id = str(args, 'channel');
    if (id === undefined) return fail('channel_not_found');
    return { ok: true, channel: channelInfo(id) };
  },

  'files.getUploadURLExternal': (args, { store, uploadUrl, fileUrls }) => {
    const filename = str(args, 'filename');
    const length = Number(str(args, 'length'));
    if (filename === undefined || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const created = store.newFile(filename, length);
    const file = Object.assign(created, fileUrls(created));
    return { ok: true, upload_url: uploadUrl(file.id), file_id: file.id };
  },

  'files.completeUploadExternal': (args, { store, team }) => {
    const list = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : undefined;
    if (list === undefined || list.length === 0) return fail('invalid_arguments');
    const files: StoredFile[] = [];
    for (const entry of list) {
      const file = typeof entry.id === 'string' ? store.files.get(entry.id) : undefined;
      if (file?.data === undefined) return fail('file_not_found'); // never uploaded to the URL
      if (typeof entry.title === 'string') file.title = entry.title;
      file.completed = true;
      files.push(file);
    }
    const channel = str(args, 'channel_id');
    if (channel !== undefined) {
      // Sharing into a channel posts a message carrying the files (initial_comment as its text).
      const threadTs = str(args, 'thread_ts');
      store.add(channel, {
        ...botFields(team),
        text: str(args, 'initial_comment') ?? '',
        files,
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      });
    }
    return { ok: true, files: files.map(publicFile) };
  },

  'files.delete': (args, { store }) => {
    const id = str(args, 'file');
    if (id === undefined || !store.deleteFile(id)) return fail('file_not_found');
    return { ok: true };
  },

  'views.open': (args, { team }) => {
    if (str(args, 'trigger_id') === undefined) return fail('invalid_trigger_id');
    const view = typeof args.view === 'object' && args.view !== null ? args.view : {};
    return { ok: true, view: { id: nextId('V'), team_id: team.teamId, app_id: team.appId, state: { values: {} }, hash: nextTs(), ...view } };
  },
};

function reactionKey(args: Args): string | undefined {
  const channel = str(args, 'channel');
  const ts = str(args, 'timestamp');
  return channel === undefined || ts === undefined ? undefined : `${channel}/${ts}`;
}

function page(messages: unknown[], hasMore: boolean): ApiResult {
  return { ok: true, messages, has_more: hasMore, response_metadata: { next_cursor: '' } };
}

/** Channel info derived from the id's prefix: C public channel, G private, D direct message. */
function channelInfo(id: string): Record<string, unknown> {
  const isIm = id.startsWith('D');
  return {
    id,
    name: isIm ? undefined : `channel-${id.toLowerCase()}`,
    is_channel: id.startsWith('C'),
    is_group: id.startsWith('G'),
    is_im: isIm,
    is_mpim: false,
    is_private: !id.startsWith('C'),
    is_member: true,
    is_archived: false,
    created: 1_700_000_000,
  };
}
