import type { IncomingMessage } from 'node:http';
import type { RecordedFile } from './types.js';

/** Reading request bodies: JSON, or multipart/form-data with `payload_json` and `files[n]` parts. */

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
}

export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(contentType, raw);
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text) as unknown, files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/** The Web Request/FormData parser in Node 20 does the multipart work (same as undici on the client side). */
async function parseMultipart(contentType: string, raw: Buffer): Promise<ParsedBody> {
  const form = await new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  let body: unknown;
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value) as unknown;
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    files.push({ field, name: value.name, contentType: value.type, data, text: () => data.toString('utf8') });
  }
  return { body, files };
}
