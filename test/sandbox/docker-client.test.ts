import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectDocker } from '../../sandbox/docker-client.js';

describe('the Docker client', () => {
  it("shows its connection pool as one word to docker-modem, which inspects every request's options in depth", () => {
    const { docker, disconnect } = connectDocker({ socketPath: '/var/run/docker.sock' });
    const { agent } = docker.modem as { agent?: object };
    expect(agent).toBeDefined();
    expect(inspect({ agent }, { showHidden: true, depth: null })).toBe('{ agent: Agent }');
    disconnect();
  });
});
