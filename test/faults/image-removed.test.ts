import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE, docker, leftovers, makeRunner } from '../support/sandbox.js';

const TEMP_TAG = 'fault-image-removed';
const image = `sandpiper-python:${TEMP_TAG}`;

describe('the sandbox image removed underneath a running bot', () => {
  afterAll(async () => {
    await docker.getImage(image).remove().catch(() => {});
  });

  it('finishes what was already started, then answers with a clear error naming the fix', async () => {
    await docker.getImage(DEFAULT_IMAGE).tag({ repo: 'sandpiper-python', tag: TEMP_TAG });
    const runner = makeRunner('runc', {}, { pythons: [{ version: null, image }], poolSize: 1 });
    await runner.warmPool!.whenFull();

    await docker.getImage(image).remove();

    // The pre-started member was created before the removal: it still runs.
    expect(await runner.run({ code: 'print("already started")' })).toMatchObject({ status: 'ok' });
    // Everything after needs the image: a clear sandbox_error, at once, every time.
    for (let i = 0; i < 2; i++) {
      const result = await runner.run({ code: 'print("new")' });
      expect(result.status).toBe('sandbox_error');
      // A custom SANDBOX_IMAGE is the operator's to provide: `image build` makes the built-in one.
      expect(result.reason).toBe(
        `the sandbox image ${image} (SANDBOX_IMAGE) is missing: build or load it, or unset SANDBOX_IMAGE to use the built-in images`,
      );
    }
    await runner.close();
    expect(await leftovers(runner)).toEqual([]);
  });
});
