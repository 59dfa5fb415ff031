import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Reply } from '../../src/reply.js';

/**
 * A reply's attachments (the full output, output.txt, when the preview was cut), saved where the
 * terminal user can open them: a new folder per reply under the temp dir. Returns one line per
 * file saying where it is, to print under the reply.
 */
export async function saveAttachments(reply: Reply): Promise<string[]> {
  if (reply.attachments.length === 0) return [];
  try {
    const folder = await mkdtemp(join(tmpdir(), 'sandpiper-reply-'));
    return await Promise.all(
      reply.attachments.map(async ({ name, data }) => {
        const path = join(folder, basename(name));
        await writeFile(path, data);
        return `📎 ${name}: ${path}`;
      }),
    );
  } catch (error) {
    const names = reply.attachments.map(({ name }) => name).join(', ');
    return [`📎 could not save ${names}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
