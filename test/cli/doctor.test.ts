import { describe, expect, it } from 'vitest';
import { checkRuntime } from '../../src/cli/doctor.js';
import type { EngineInfo } from '../../src/sandbox.js';
import { docker } from '../support/sandbox.js';

/** What this engine says, with runsc registered the way setup registered it before --oci-seccomp. */
async function engineWithRunscArgs(runtimeArgs: string[]): Promise<EngineInfo> {
  const info = (await docker.info()) as EngineInfo;
  return { ...info, Runtimes: { ...info.Runtimes, runsc: { path: '/usr/bin/runsc', runtimeArgs } } };
}

describe("doctor's runtime check", () => {
  it('accepts runsc as setup registers it', async () => {
    const info = (await docker.info()) as EngineInfo;
    expect(checkRuntime(info, { runtime: 'runsc' })).toEqual({ ok: true, what: 'runtime "runsc" is registered (gVisor (runsc) is available)' });
  });

  it('reports a runsc registered without --oci-seccomp, with the fix', async () => {
    const info = await engineWithRunscArgs(['--network=none']);
    expect(checkRuntime(info, { runtime: 'runsc' })).toEqual({
      ok: false,
      what: "runsc is registered without --oci-seccomp: the sandboxes' seccomp filter would not apply inside gVisor",
      fix: '`sudo npm run setup` (in the checkout) adds it to /etc/docker/daemon.json and reloads dockerd',
    });
    // runc runs don't go through runsc: nothing to fix for them.
    expect(checkRuntime(info, { runtime: 'runc' })).toMatchObject({ ok: true });
  });
});
