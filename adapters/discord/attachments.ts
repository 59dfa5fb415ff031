import type { Attachment, Message } from 'discord.js';
import type { IncomingFile } from '../../src/incoming-files.js';

/** A message's attachments, as files for its run (downloaded only if the run goes ahead). */
export function attachedFiles(message: Message): IncomingFile[] {
  return message.attachments.map(incomingFile);
}

/** One Discord attachment (on a message, or a command's `file` option), as a file for a run. */
export function incomingFile(attachment: Attachment): IncomingFile {
  return {
    name: attachment.name,
    size: attachment.size,
    download: async () => {
      const response = await fetch(attachment.url);
      if (!response.ok) throw new Error(`Discord answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
