import { Writable } from 'node:stream';
import { expect, onTestFinished } from 'vitest';
import { start, type Tuning } from '../../adapters/discord/index.js';
import type { RunningAdapter } from '../../src/adapter.js';
import { loadConfig, type Config } from '../../src/config.js';
import { Evaluator, type SandboxPort } from '../../src/evaluator.js';
import { RunLimiter } from '../../src/limiter.js';
import { createLogger } from '../../src/log.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeInteraction, type FakeMessage } from '../fakes/discord/server.js';
import { FakeSandbox } from '../support/fake-sandbox.js';

/**
 * The Discord adapter end to end: the real discord.js Client against the fake Discord on
 * 127.0.0.1, the real Evaluator and RunLimiter, and a fake sandbox unless a test passes another.
 * Everything is torn down when the test finishes, whatever happened.
 */

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface Harness {
  fake: FakeDiscord;
  sandbox: SandboxPort;
  evaluator: Evaluator;
  config: Config;
  adapter: RunningAdapter;
  logs: LogLine[];
  waitForLog(match: (line: LogLine) => boolean, what?: string): Promise<LogLine>;
  /** The bot's reply to `source`, once there is one. */
  replyTo(source: FakeMessage, timeoutMs?: number): Promise<FakeMessage>;
  /** An interaction's response message, once it holds more than "thinking…". */
  responseTo(interaction: FakeInteraction): Promise<FakeMessage>;
}

export interface HarnessOptions {
  /** Environment variables on top of DISCORD_TOKEN and DISCORD_API_URL. */
  env?: Record<string, string>;
  fake?: FakeDiscordOptions;
  sandbox?: SandboxPort;
  tuning?: Partial<Tuning>;
}

const LOADING = 1 << 7;
export const WARN = 40;
/** How long a stop lets replies still being posted take (the bot's is the run timeout plus a few seconds). */
export const STOP_GRACE_MS = 5_000;
const TEST_TUNING: Partial<Tuning> = { editDebounceMs: 50 };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeDiscord(options.fake);
  const config = loadConfig({ DISCORD_TOKEN: 'fake-token', DISCORD_API_URL: fake.apiUrl, ...options.env });
  const logs: LogLine[] = [];
  const log = createLogger('debug', lineCollector(logs));
  const sandbox = options.sandbox ?? new FakeSandbox();
  const evaluator = new Evaluator({
    sandbox,
    limiter: new RunLimiter(config.limiter),
    limits: config.sandbox.limits,
    maxCodeBytes: config.sandbox.maxCodeBytes,
    pythons: config.sandbox.pythons,
    log,
  });
  let adapter: RunningAdapter | undefined;
  onTestFinished(async () => {
    await adapter?.stop(STOP_GRACE_MS);
    await evaluator.close();
    await fake.close();
  });
  adapter = await start({ evaluator, config, log }, { ...TEST_TUNING, ...options.tuning });

  const message = (pred: (m: FakeMessage) => boolean, timeoutMs?: number) =>
    fake.waitForBotMessage((m) => (m.flags & LOADING) === 0 && pred(m), timeoutMs);
  return {
    fake,
    sandbox,
    evaluator,
    config,
    adapter,
    logs,
    waitForLog: (match, what = 'a log line') => fake.waitFor(() => logs.find(match), 5000, what),
    replyTo: (source, timeoutMs) => message((m) => m.message_reference?.message_id === source.id, timeoutMs),
    responseTo: (interaction) => message((m) => m.id === interaction.record.originalMessageId && m.content !== ''),
  };
}

function lineCollector(lines: LogLine[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
}

/** Every message body the bot sent (new, edited, interaction responses), with the request path. */
function sentMessages(fake: FakeDiscord): Array<{ path: string; body: Record<string, unknown> }> {
  return fake.requests.flatMap((request) => {
    const body: unknown = request.path.endsWith('/callback') ? request.body?.data : request.body;
    const sent = typeof body === 'object' && body !== null && 'content' in body;
    return sent ? [{ path: `${request.method} ${request.path}`, body: body as Record<string, unknown> }] : [];
  });
}

/** Nobody may be pinged by anything the bot sent. */
export function expectNoPings(fake: FakeDiscord): void {
  const sent = sentMessages(fake);
  expect(sent.length).toBeGreaterThan(0);
  for (const { path, body } of sent) expect(body.allowed_mentions, path).toEqual({ parse: [], replied_user: false });
}

/** The custom_ids of a message's buttons, in order: "Run again" first, "Delete" last. */
export function buttonIds(message: FakeMessage): string[] {
  return message.components.flatMap((row) => ((row.components as Array<{ custom_id: string }> | undefined) ?? []).map((c) => c.custom_id));
}

/** The labels of a message's buttons, row by row. */
export function buttonRows(message: FakeMessage): string[][] {
  return message.components.map((row) => ((row.components as Array<{ label: string }> | undefined) ?? []).map((c) => c.label));
}

/** What the fake sandbox prints for a timed run (the real one prints timeit's summary line). */
export const TIMEIT_SUMMARY = '100000 loops, best of 5: 2.5 usec per loop';

/** A fake sandbox that prints timeit's summary for a timed run, and "ran once" for any other. */
export function timingSandbox(): FakeSandbox {
  return new FakeSandbox((input) => ({ output: input.timeit ? `${TIMEIT_SUMMARY}\n` : 'ran once\n' }));
}

/** A fenced Python block, as users post them. */
export function py(code: string): string {
  return `\`\`\`py\n${code}\n\`\`\``;
}
