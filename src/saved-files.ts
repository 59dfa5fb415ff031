import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Files from a run (a reply's attachments: output.txt, plots, files the program wrote) saved where
 * a terminal user can open them: a new folder per run under the temp dir. Returns one line per
 * file saying where it is, to print under the run's output.
 */
export async function saveFiles(files: ReadonlyArray<{ name: string; data: Uint8Array }>): Promise<string[]> {
  if (files.length === 0) return [];
  try {
    const folder = await mkdtemp(join(tmpdir(), 'sandpiper-files-'));
    return await Promise.all(
      files.map(async ({ name, data }) => {
        const path = join(folder, basename(name));
        await writeFile(path, data);
        return `📎 ${name}: ${path}`;
      }),
    );
  } catch (error) {
    const names = files.map(({ name }) => name).join(', ');
    return [`📎 could not save ${names}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
