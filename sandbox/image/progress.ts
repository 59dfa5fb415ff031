import type Docker from 'dockerode';

interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Follows a Docker build/pull/import progress stream to its end. Docker reports failures as an
 * event in the stream (with HTTP 200), so a plain "stream ended" is not success: check each event.
 */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void = () => {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: string | null = null;
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(error);
        else if (failure) reject(new Error(failure));
        else resolve();
      },
      (event: ProgressEvent) => {
        const message = event.error ?? event.errorDetail?.message;
        if (message) failure = message;
        const line = (event.stream ?? event.status ?? '').trimEnd();
        if (line) onLine(line);
      },
    );
  });
}
