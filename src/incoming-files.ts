import { withDeadline } from '../sandbox/deadline.js';
import { refuseInputFiles } from '../sandbox/files.js';
import type { FileLimits } from '../sandbox/limits.js';
import type { RunFile } from '../sandbox/result.js';

/**
 * Files attached to the message that holds the code (Discord attachments, Slack files), or given
 * with a command (Discord's `/run file:`): the run finds them in its working directory, so
 * `pandas.read_csv("data.csv")` reads the CSV the user attached. They are checked against the
 * limits by their declared names and sizes before anything is downloaded. A file that can't be
 * taken refuses the whole run, saying which and why: the code almost surely reads it, and a
 * FileNotFoundError would only hide the reason.
 */
export interface IncomingFile {
  name: string;
  /** As the platform declares it; the download is held to it. */
  size: number;
  download(): Promise<Uint8Array>;
}

/** How long one file may take to download. */
const DOWNLOAD_MS = 15_000;

export type FetchedFiles = { files: RunFile[] } | { refusal: string };

export async function fetchFiles(incoming: readonly IncomingFile[], limits: FileLimits): Promise<FetchedFiles> {
  const refusal = refuseInputFiles(incoming, limits);
  if (refusal) return { refusal: `Not run: ${refusal}.` };
  const files: RunFile[] = [];
  for (const file of incoming) {
    try {
      const bytes = await withDeadline(file.download(), DOWNLOAD_MS, `it took over ${DOWNLOAD_MS / 1000} s`);
      if (bytes.length !== file.size) throw new Error(`it came as ${bytes.length} bytes, not the ${file.size} announced`);
      files.push({ name: file.name, bytes });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { refusal: `Not run: the attached file ${file.name} could not be downloaded (${reason}). Try again, or attach it again.` };
    }
  }
  return { files };
}
