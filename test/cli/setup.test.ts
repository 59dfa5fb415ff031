import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registerRunsc } from '../../scripts/daemon-json.js';
import { run } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SETUP = join(ROOT, 'scripts/setup.sh');

/** A directory others may read too (mkdtemp makes it private), for the run as an unprivileged user. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandpiper-setup-'));
  chmodSync(dir, 0o755);
  return dir;
}

describe('npm run setup', () => {
  it('--check on a machine that has everything: changes nothing, and doctor is happy on both runtimes', async () => {
    const before = statSync('/etc/docker/daemon.json').mtimeMs;
    const setup = await run('bash', [SETUP, '--check'], { timeoutMs: 120_000 });
    expect(setup.stderr).toBe('');
    expect(setup.stdout).toContain('setup: docker.io, runsc, debootstrap and tmux are installed\n');
    expect(setup.stdout).toContain('setup: runsc is registered in /etc/docker/daemon.json\n');
    expect(setup.stdout).toMatch(/setup: Docker \S+ answers, with runtimes: .*\brunsc\b/);
    expect(setup.stdout).toMatch(/setup: doctor, runc: all good\nsetup: doctor, runsc: all good\n$/);
    expect(setup.code).toBe(0);
    expect(statSync('/etc/docker/daemon.json').mtimeMs).toBe(before);
  }, 120_000);

  it('without root, on a machine without runsc: changes nothing, says what needs root and how', async () => {
    // What setup reads, in a place the unprivileged user can read wherever this checkout lives.
    const copy = scratch();
    for (const path of ['scripts/setup.sh', 'dist/scripts/daemon-json.js', 'dist/sandbox/runsc.js', 'dist/src/cli/main.js']) {
      cpSync(join(ROOT, path), join(copy, path), { recursive: true });
    }
    // Every program on PATH but runsc.
    const bin = join(scratch(), 'bin');
    mkdirSync(bin);
    const linked = new Set(['runsc']);
    for (const dir of (process.env.PATH ?? '').split(delimiter).filter(existsSync)) {
      for (const name of readdirSync(dir).filter((name) => !linked.has(name))) {
        symlinkSync(join(dir, name), join(bin, name));
        linked.add(name);
      }
    }
    const setup = await run('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'bash', join(copy, 'scripts/setup.sh')], {
      env: { PATH: bin },
      cwd: copy,
    });
    expect(setup.stdout).toContain('setup: needs root: install runsc (apt-get)\n');
    expect(setup.stdout).not.toMatch(/installing|registered runsc|starting dockerd|reloading/);
    expect(setup.stderr).toBe('setup: not set up: run `sudo npm run setup`\n');
    expect(setup.code).toBe(1);
  });
});

describe('registering runsc in daemon.json', () => {
  const runsc = { path: '/usr/bin/runsc', runtimeArgs: ['--network=none', '--oci-seccomp'] };

  it('creates the file when there is none, and leaves it alone once it is right', () => {
    const file = join(scratch(), 'docker/daemon.json');
    expect(registerRunsc(file, '/usr/bin/runsc', true)).toBe('changed');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ runtimes: { runsc } });
    const written = statSync(file).mtimeMs;
    expect(registerRunsc(file, '/usr/bin/runsc', true)).toBe('unchanged');
    expect(statSync(file).mtimeMs).toBe(written);
  });

  it('keeps every other setting, other runtimes and runsc flags of the operator\'s own', () => {
    const file = join(scratch(), 'daemon.json');
    writeFileSync(file, JSON.stringify({
      'log-driver': 'journald',
      runtimes: { kata: { path: '/usr/bin/kata-runtime' }, runsc: { path: '/opt/runsc', runtimeArgs: ['--platform=systrap'] } },
    }));
    expect(registerRunsc(file, '/usr/bin/runsc', true)).toBe('changed');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      'log-driver': 'journald',
      runtimes: {
        kata: { path: '/usr/bin/kata-runtime' },
        runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--platform=systrap', '--network=none', '--oci-seccomp'] },
      },
    });
  });

  it('adds --oci-seccomp to a runsc registered before it was needed', () => {
    const file = join(scratch(), 'daemon.json');
    writeFileSync(file, JSON.stringify({ runtimes: { runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=none'] } } }));
    expect(registerRunsc(file, '/usr/bin/runsc', true)).toBe('changed');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ runtimes: { runsc } });
  });

  it('takes an empty file as an empty configuration', () => {
    const file = join(scratch(), 'daemon.json');
    writeFileSync(file, '\n');
    expect(registerRunsc(file, '/usr/bin/runsc', true)).toBe('changed');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ runtimes: { runsc } });
  });

  it('only reports with write off (setup --check, or without root)', () => {
    const file = join(scratch(), 'daemon.json');
    writeFileSync(file, '{"debug": true}');
    expect(registerRunsc(file, '/usr/bin/runsc', false)).toBe('changed');
    expect(readFileSync(file, 'utf8')).toBe('{"debug": true}');
  });

  it('refuses to touch a file it cannot read as JSON, and says so', () => {
    const file = join(scratch(), 'daemon.json');
    writeFileSync(file, '{"debug": true,}');
    expect(() => registerRunsc(file, '/usr/bin/runsc', true)).toThrow(/daemon\.json is not valid JSON .*: fix it by hand/);
    writeFileSync(file, '{"runtimes": []}');
    expect(() => registerRunsc(file, '/usr/bin/runsc', true)).toThrow(/"runtimes" in .*daemon\.json is not an object/);
    expect(readFileSync(file, 'utf8')).toBe('{"runtimes": []}');
  });
});
