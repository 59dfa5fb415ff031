/**
 * What doctor says when DOCKER_HOST is set and Docker can't be reached through it: the address is
 * then the likely culprit, and dockerode's own words (`getaddrinfo ENOTFOUND garbage`) don't say so.
 */

const SCHEMES = ['unix:', 'tcp:', 'http:', 'https:', 'ssh:', 'npipe:'];
const UNSET = 'or unset DOCKER_HOST to use the local engine (/var/run/docker.sock)';

export const DOCKER_HOST_FORMS = `set it to unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST, ${UNSET}`;

/** Why DOCKER_HOST can't be an address of Docker's, or null when it can (or is unset). */
export function malformedDockerHost(value: string | undefined): string | null {
  if (!value) return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  const where = url?.protocol === 'unix:' || url?.protocol === 'npipe:' ? url.pathname : url?.hostname;
  return url && SCHEMES.includes(url.protocol) && where ? null : `DOCKER_HOST=${JSON.stringify(value)} is not a Docker address`;
}

/** The fix for an engine that doesn't answer at DOCKER_HOST, or null when the error isn't about the address. */
export function unreachableDockerHostFix(value: string | undefined, error: unknown): string | null {
  if (!value || malformedDockerHost(value)) return null;
  const url = new URL(value);
  const code = (error as { code?: unknown } | null)?.code;
  const shown = `DOCKER_HOST=${JSON.stringify(value)}`;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `no host named "${url.hostname}" (${code}): correct ${shown}, ${UNSET}`;
    case 'ENOENT':
      return `no socket at ${url.pathname} (${code}): start the Docker engine, correct ${shown}, ${UNSET}`;
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return `nothing answers at ${url.host || url.pathname} (${code}): start the Docker engine there, correct ${shown}, ${UNSET}`;
  }
  return null;
}
