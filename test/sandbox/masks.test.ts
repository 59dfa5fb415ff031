import { afterAll, describe, expect, it } from 'vitest';
import { MASKED_PATHS } from '../../sandbox/spec.js';
import { DEFAULT_IMAGE, docker } from '../support/sandbox.js';

/**
 * Setting MaskedPaths replaces the engine's own list, so ours must hold every path the engine
 * would have masked by itself: asked of the engine, which fills in its defaults for a container
 * created without any.
 */
describe('masked paths', () => {
  const created: string[] = [];

  afterAll(async () => {
    await Promise.all(created.map((id) => docker.getContainer(id).remove({ force: true })));
  });

  it('include every path this engine masks by default', async () => {
    const container = await docker.createContainer({ Image: DEFAULT_IMAGE, Cmd: ['true'] });
    created.push(container.id);
    const defaults = ((await container.inspect()).HostConfig as { MaskedPaths?: string[] }).MaskedPaths;
    expect(defaults?.length).toBeGreaterThan(0);
    expect(MASKED_PATHS).toEqual(expect.arrayContaining(defaults!));
  });
});
