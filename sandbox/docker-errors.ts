/**
 * Turns a failure talking to Docker into one sentence a user or an operator can act on.
 * The user's code never ran when one of these is reported (RunResult status `sandbox_error`).
 */

import { builtInRecipe } from './image/recipe.js';

interface DockerishError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  json?: { message?: string } | null;
  address?: string;
}

export interface ErrorContext {
  image: string;
  runtime: string;
}

/** The most specific message an error carries (Docker's own JSON message when there is one). */
export function errorDetail(error: unknown): string {
  const e = (error ?? {}) as DockerishError;
  return (e.json?.message ?? e.message ?? String(error)).trim();
}

/** One actionable sentence for a known Docker problem, or null when the error isn't one. */
export function describeDockerError(error: unknown, context: ErrorContext): string | null {
  const e = (error ?? {}) as DockerishError;
  const text = errorDetail(error);
  if (e.name === 'DeadlineError') return `${text}: is the Docker engine hung or overloaded?`;
  switch (e.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return (
        `Docker is not reachable${e.address ? ` at ${e.address}` : ''} (${e.code}): ` +
        'start the Docker engine (e.g. `sudo systemctl start docker`) or point DOCKER_HOST at it'
      );
    case 'EACCES':
      return (
        `permission denied on the Docker socket${e.address ? ` ${e.address}` : ''}: ` +
        'run the bot as a user in the `docker` group (or as root)'
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return `lost the connection to Docker (${e.code}): is the engine restarting?`;
  }
  if (/no such image/i.test(text) || (e.statusCode === 404 && /image/i.test(text))) {
    const { what, fix } = missingImage(context.image);
    return `${what}: ${fix}`;
  }
  if (/unknown runtime|runtime.*not (found|registered)/i.test(text)) {
    return (
      `the container runtime "${context.runtime}" is not registered with Docker: add it under ` +
      '"runtimes" in /etc/docker/daemon.json and restart dockerd, or set SANDBOX_RUNTIME=runc'
    );
  }
  return null;
}

/** The actionable sentence when there is one, else the error's own message. */
export function explainDockerError(error: unknown, context: ErrorContext): string {
  return describeDockerError(error, context) ?? errorDetail(error);
}

/**
 * A missing image, and how to get it: the built-in image is Sandpiper's to build; one named by
 * SANDBOX_IMAGE is the operator's to provide (`image build` would build the built-in one instead).
 */
export function missingImage(image: string): { what: string; fix: string } {
  const recipe = builtInRecipe(image);
  return recipe
    ? { what: `the sandbox image ${image} (Python ${recipe.version}) is missing`, fix: 'run `npx sandpiper image build`' }
    : {
        what: `the sandbox image ${image} (SANDBOX_IMAGE) is missing`,
        fix: 'build or load it, or unset SANDBOX_IMAGE to use the built-in images',
      };
}

/** True for errors that mean "that container is already gone or stopped" (safe to ignore). */
export function isGoneError(error: unknown): boolean {
  const status = (error as DockerishError | undefined)?.statusCode;
  return status === 404 || status === 409 || status === 304;
}
