import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../sandbox/assets.js';

/**
 * The deployment files (Dockerfile, .dockerignore, compose.yaml) checked against the code: the
 * image must hold every file the CLI reads at run time, and the compose file must keep the Docker
 * socket out of the bot and in each runner. What `docker-compose up` proves is in the README.
 */

const root = PACKAGE_ROOT;
const read = (path: string) => readFileSync(join(root, path), 'utf8');

// --- The Dockerfile ---------------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
}

/** Instructions with continuation lines joined, comments dropped; one array per stage (FROM). */
function dockerfileStages(text: string): { preamble: Instruction[]; stages: Instruction[][] } {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim());
  const preamble: Instruction[] = [];
  const stages: Instruction[][] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { op: op.toUpperCase(), args };
    if (instruction.op === 'FROM') stages.push([instruction]);
    else (stages.at(-1) ?? preamble).push(instruction);
  }
  return { preamble, stages };
}

/** A COPY's sources and destination (relative to the workdir), and the stage it copies from (none: the build context). */
function copyOf({ args }: Instruction, workdir: string): { from: string | undefined; sources: string[]; dest: string; destIsDir: boolean } {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  const rawDest = paths.at(-1)!;
  const dest = normalize(posix.relative(workdir, posix.resolve(workdir, rawDest))) || '.';
  return { from, sources: paths.slice(0, -1).map(normalize), dest, destIsDir: rawDest.endsWith('/') || rawDest === '.' || paths.length > 2 };
}

const normalize = (path: string) => posix.normalize(path).replace(/^\.\//, '').replace(/\/$/, '');
/** Whether `path` is `dir` or inside it ('.' holds everything). */
const within = (dir: string, path: string) => dir === '.' || path === dir || path.startsWith(`${dir}/`);

/** Source files of the code that runs (what tsconfig.build.json compiles into dist/). */
function runtimeSources(): string[] {
  const include = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include;
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  return include.filter((dir) => existsSync(join(root, dir))).flatMap(walk);
}

/** The path named by literal arguments, up to the first that isn't one (then: that folder). */
function literalPath(base: string, args: string): string {
  const parts: string[] = [];
  for (const arg of args.split(',').map((part) => part.trim())) {
    const literal = /^'([^']*)'$/.exec(arg);
    if (!literal) break;
    parts.push(literal[1]!);
  }
  return normalize(posix.join(base, ...parts));
}

/**
 * Every path under the package root the code reads at run time, from its call sites: the asset
 * helpers (sandbox/assets.ts, sandbox/image/recipe.ts) and joins on PACKAGE_ROOT, each with its
 * literal arguments (a name that isn't a literal stands for the whole folder); plus the
 * entrypoint script and what it imports. The helpers' own bodies, forwarding `...parts`, are not
 * call sites.
 */
function runtimeAssets(entrypoint: string): string[] {
  const assets = new Set<string>([entrypoint]);
  const helpers: Record<string, string> = { 'sandboxAsset(': 'sandbox', 'imageAsset(': 'sandbox/image', 'join(PACKAGE_ROOT,': '' };
  for (const file of runtimeSources()) {
    const text = read(file);
    for (const [, helper, args] of text.matchAll(/(?<!function )\b(sandboxAsset\(|imageAsset\(|join\(PACKAGE_ROOT,)([^)]*)\)/g)) {
      if (args!.includes('...')) continue;
      assets.add(literalPath(helpers[helper!]!, args!));
    }
  }
  for (const [, specifier] of read(entrypoint).matchAll(/from '(\.\.?\/[^']+)'/g)) {
    assets.add(normalize(posix.join(posix.dirname(entrypoint), specifier!)));
  }
  return [...assets].sort();
}

/** What .dockerignore keeps out of the build context (its simple patterns: paths and globs from the root). */
function ignoredByDocker(path: string): boolean {
  const patterns = read('.dockerignore').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const glob = normalize(negated ? pattern.slice(1) : pattern);
    const regex = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(/|$)`);
    if (regex.test(path)) ignored = !negated;
  }
  return ignored;
}

describe('the Dockerfile', () => {
  const { preamble, stages } = dockerfileStages(read('Dockerfile'));
  const runtime = stages.at(-1)!;
  const workdir = posix.resolve('/', ...runtime.filter((i) => i.op === 'WORKDIR').map((i) => i.args));
  const copies = runtime.filter((i) => i.op === 'COPY').map((i) => copyOf(i, workdir));
  const entrypoint = JSON.parse(runtime.find((i) => i.op === 'ENTRYPOINT')?.args ?? 'null') as string[] | null;

  it('takes its base image from ARG NODE_IMAGE, node:20-bookworm-slim by default, in every stage', () => {
    expect(preamble).toContainEqual({ op: 'ARG', args: 'NODE_IMAGE=node:20-bookworm-slim' });
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const [from] of stages) expect(from!.args).toMatch(/^\$\{NODE_IMAGE\}(\s|$)/);
  });

  it('runs bin/sandpiper.js, the role chosen by the command, as a user other than root', () => {
    expect(entrypoint).toEqual(['node', 'bin/sandpiper.js']);
    const user = runtime.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('finds the run-time assets where the code reads them', () => {
    const assets = runtimeAssets('bin/sandpiper.js');
    // Not the list itself (that is the code's), only that the search finds what it must.
    expect(assets).toEqual(expect.arrayContaining(['package.json', 'sandbox/bootstrap.py', 'sandbox/loader.py', 'sandbox/program.py', 'sandbox/image']));
    expect(assets.some((asset) => asset.startsWith('dist/'))).toBe(true);
    for (const asset of assets.filter((asset) => !asset.startsWith('dist/'))) expect(existsSync(join(root, asset)), asset).toBe(true);
  });

  it('puts every asset the code reads at run time into the runtime stage, at the same path under its workdir', () => {
    const inImage = (asset: string) =>
      copies.some(({ from, sources, dest, destIsDir }) => {
        // From a build stage (dist/, node_modules/): what lands under dest is that stage's.
        if (from !== undefined) return within(dest, asset);
        return sources.some((source) => {
          if (!within(source, asset) || ignoredByDocker(asset)) return false;
          // A folder's contents go into dest; a file goes into dest, or becomes it.
          const landsAt = statSync(join(root, source)).isDirectory()
            ? posix.join(dest, posix.relative(source, asset))
            : destIsDir ? posix.join(dest, posix.basename(source)) : dest;
          return normalize(landsAt) === asset;
        });
      });
    expect(runtimeAssets('bin/sandpiper.js').filter((asset) => !inImage(asset))).toEqual([]);
  });

  it('keeps secrets and local builds out of the build context', () => {
    for (const path of ['.env', 'node_modules', 'dist', '.git']) expect(ignoredByDocker(path), path).toBe(true);
  });
});

// --- compose.yaml -----------------------------------------------------------------------------

interface Service {
  command?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  hostname?: string;
  group_add?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  [key: string]: unknown;
}

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as { services: Record<string, Service> };
  const services = Object.entries(compose.services);
  const runners = services.filter(([, service]) => service.command === 'runner');
  const bots = services.filter(([, service]) => service.command === 'start');
  const socketMounts = (service: Service) => (service.volumes ?? []).filter((volume) => /docker\.sock/.test(volume));

  it('has one bot and at least two runners', () => {
    expect(bots).toHaveLength(1);
    expect(runners.length).toBeGreaterThanOrEqual(2);
    expect(services.length).toBe(bots.length + runners.length);
  });

  it("gives the bot no Docker socket and no Docker host, only the runners' URLs and token", () => {
    const [, bot] = bots[0]!;
    expect(socketMounts(bot)).toEqual([]);
    expect(bot.environment?.DOCKER_HOST).toBeUndefined();
    const urls = runners.map(([name, runner]) => `http://${name}:${runner.environment?.RUNNER_PORT}`);
    expect(bot.environment?.SANDBOX_RUNNERS?.split(',')).toEqual(urls);
    expect(bot.environment?.RUNNER_TOKEN).toMatch(/^\$\{RUNNER_TOKEN:\?.+\}$/);
    for (const [name] of runners) expect(bot.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
  });

  it('mounts the Docker socket into each runner, which listens beyond loopback with the shared token', () => {
    for (const [name, runner] of runners) {
      // host:container[:mode], the host side possibly a ${VARIABLE:-default}
      const targets = socketMounts(runner).map((volume) => volume.replace(/\$\{[^}]*\}/g, 'HOST').split(':')[1]);
      expect(targets, name).toEqual(['/var/run/docker.sock']);
      expect(runner.group_add, name).toHaveLength(1);
      expect(runner.environment?.RUNNER_HOST, name).toBe('0.0.0.0');
      expect(runner.environment?.RUNNER_TOKEN, name).toMatch(/^\$\{RUNNER_TOKEN:\?.+\}$/);
      // An empty value is "not set": a SANDBOX_RUNNERS from .env must not reach a runner.
      expect(runner.environment?.SANDBOX_RUNNERS, name).toBe('');
      // Nor the platforms' tokens: a runner has no use for them.
      for (const token of ['DISCORD_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']) expect(runner.environment?.[token], `${name} ${token}`).toBe('');
      expect(runner.healthcheck?.test.join(' '), name).toContain(`http://127.0.0.1:${runner.environment?.RUNNER_PORT}/healthz`);
    }
  });

  it('publishes no ports, and gives no two services one hostname (the orphan reaper tells instances apart by it)', () => {
    for (const [name, service] of services) expect(service.ports, name).toBeUndefined();
    const hostnames = services.map(([, service]) => service.hostname).filter(Boolean);
    expect(new Set(hostnames).size).toBe(hostnames.length);
  });

  it('configures the runners alike, but for their names', () => {
    const [first, ...others] = runners.map(([name, runner]) => [name, JSON.stringify(runner)] as const);
    for (const [name, other] of others) expect(other, name).toBe(first![1]);
  });
});
