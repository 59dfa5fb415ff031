import type { IncomingMessage } from 'node:http';

/** Arguments of one Web API call after decoding, whatever encoding the client chose. */
export type Args = Record<string, unknown>;

/** A file part of a multipart body (what files.uploadV2 sends to the upload URL). */
export interface FilePart {
  field: string;
  filename: string;
  data: Buffer;
}

export interface ParsedBody {
  args: Args;
  files: FilePart[];
  raw: Buffer;
  contentType: string;
}

// Slack clients form-encode objects as JSON strings; decode only these keys, since `text` that merely
// looks like JSON (a program printing "[1, 2]") must stay a string.
const JSON_KEYS = new Set(['blocks', 'attachments', 'files', 'view', 'metadata', 'file_uploads']);

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Decode a body: JSON, form-encoded (+ query string) or multipart, as Slack itself accepts all three. */
export async function parseBody(req: IncomingMessage, raw: Buffer): Promise<ParsedBody> {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const args: Args = {};
  const files: FilePart[] = [];
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  for (const [k, v] of query) args[k] = v;

  if (contentType.startsWith('application/json')) {
    const parsed: unknown = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    if (parsed !== null && typeof parsed === 'object') Object.assign(args, parsed);
  } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) args[k] = decodeJsonKey(k, v);
  } else if (contentType.startsWith('multipart/form-data')) {
    // Let undici's Response parse multipart: no hand-rolled boundary parsing to get wrong.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [k, v] of form) {
      if (typeof v === 'string') args[k] = decodeJsonKey(k, v);
      else files.push({ field: k, filename: v.name, data: Buffer.from(await v.arrayBuffer()) });
    }
  }
  return { args, files, raw, contentType };
}

function decodeJsonKey(key: string, value: string): unknown {
  if (!JSON_KEYS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The caller's token: `Authorization: Bearer …` first, then a `token` argument, like Slack. */
export function tokenOf(req: IncomingMessage, args: Args): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return typeof args.token === 'string' ? args.token : undefined;
}
