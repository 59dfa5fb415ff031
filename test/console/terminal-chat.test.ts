import { readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL_OWNER } from '../../sandbox/labels.js';
import { interpret } from '../../src/intake.js';
import { CONSOLE } from '../../src/platforms.js';
import { renderNotice } from '../../src/render.js';
import { docker } from '../support/sandbox.js';
import { TmuxTerminal } from './tmux.js';

// The built CLI (`npm run build` first), as a newcomer runs it: `npm start` in a real terminal,
// with no chat platform configured, on the real sandbox.
const BIN = fileURLToPath(new URL('../../bin/sandpiper.js', import.meta.url));
const PROMPT = 'you ›';
const CONTINUED = '...';
const RUNNING = '⏳ running… (Ctrl-C cancels)';
const QUIT_HINT = 'To quit, press Ctrl-C again or Ctrl-D.';
// timeit's summary line, as the sandbox prints it for a timed run; on a busy host, after timeit's
// warning (on stderr) that its timings are unreliable.
const TIMEIT_SUMMARY = String.raw`(?::0: UserWarning: The test results are likely unreliable\.[^\n]*\n)?\d+ loops?, best of \d+: \d+(?:\.\d+)? (?:nsec|usec|msec|sec) per loop`;

const terminals: TmuxTerminal[] = [];
afterEach(async () => {
  await Promise.all(terminals.splice(0).map((terminal) => terminal.close()));
});

/** The terminal chat, started and waiting at its prompt. No warm pool: each run's container is its own. */
async function openChat(env: Record<string, string> = {}): Promise<TmuxTerminal> {
  const chat = await TmuxTerminal.open([process.execPath, BIN, 'start'], { SANDBOX_POOL_SIZE: '0', ...env });
  terminals.push(chat);
  await chat.waitFor('the prompt', isAtPrompt);
  return chat;
}

function isAtPrompt(screen: string): boolean {
  return lastLine(screen) === PROMPT;
}

function lastLine(screen: string): string {
  return screen.slice(screen.lastIndexOf('\n') + 1);
}

function count(screen: string, lineStart: string): number {
  return screen.split('\n').filter((line) => line.startsWith(lineStart)).length;
}

/** Types `line` and Enter; returns what the chat printed between it and the next prompt. */
async function ask(chat: TmuxTerminal, line: string): Promise<string> {
  const prompts = count(await chat.screen(), PROMPT);
  await chat.type(line);
  await chat.press('Enter');
  const screen = await chat.waitFor(`the reply to ${line}`, (shown) => count(shown, PROMPT) > prompts && isAtPrompt(shown));
  return replyAfter(screen, line);
}

/** What follows the last `you › <line>` on the screen, up to the next prompt. */
function replyAfter(screen: string, line: string): string {
  const asked = `${PROMPT} ${line}\n`;
  const start = screen.lastIndexOf(asked);
  if (start === -1) throw new Error(`"${line}" is not on the screen:\n${screen}`);
  const rest = screen.slice(start + asked.length);
  const end = rest.indexOf(`\n${PROMPT}`);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The sandbox containers the chat's process has, in any state. */
async function containersOf(pid: number): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER}=${hostname()}:${pid}`] } });
  return containers.length;
}

async function waitForContainers(pid: number, expected: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await containersOf(pid)) !== expected) {
    if (Date.now() > deadline) throw new Error(`the chat did not have ${expected} container(s) within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the terminal chat, in a real terminal', () => {
  it('cancels a running snippet on Ctrl-C within a second, removes its container, and runs the next message', async () => {
    const chat = await openChat();
    const pid = await chat.pid();
    const sleeper = '/run import time; time.sleep(30)';
    await chat.type(sleeper);
    await chat.press('Enter');
    await waitForContainers(pid, 1);

    const pressed = Date.now();
    await chat.press('C-c');
    const screen = await chat.waitFor('the cancellation', (shown) => shown.includes('🛑 cancelled') && isAtPrompt(shown), 5_000);
    expect(Date.now() - pressed).toBeLessThan(1_000);
    expect(replyAfter(screen, sleeper)).toBe(`${RUNNING}\n🛑 cancelled\n[no output]`);
    await waitForContainers(pid, 0);

    expect(await ask(chat, '/run print("next")')).toMatch(/^⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+\nnext$/);
  });

  it("runs the README's stdin example typed line by line, and quits on Ctrl-D with exit 0", async () => {
    const chat = await openChat();
    const lines = ['```py', 'name = input()', 'print(f"hello {name}")', '```', '```stdin', 'Ada', '```'];
    for (const line of lines) {
      const continued = count(await chat.screen(), CONTINUED);
      await chat.type(line);
      await chat.press('Enter');
      // Each line keeps the message open: the block, then the wait for an empty line.
      await chat.waitFor(`the prompt after ${line}`, (shown) => count(shown, CONTINUED) > continued && lastLine(shown) === CONTINUED);
    }
    await chat.press('Enter');
    const screen = await chat.waitFor('the reply', isAtPrompt);
    const typed = lines.map((line, i) => `${i === 0 ? PROMPT : CONTINUED} ${line}`).join('\n');
    expect(screen).toMatch(new RegExp(`${escape(typed)}\\n\\.\\.\\.\\n${escape(RUNNING)}\\n✅ done in [^\\n]+\\nhello Ada\\n${PROMPT}$`));

    await chat.press('C-d');
    expect(await chat.exitStatus()).toBe(0);
    expect(await leftTerminalAsFound(chat)).toBe(true);
  });

  it('answers a sentence with the notice a DM gets, and runs the `span` in one', async () => {
    const chat = await openChat();
    const sentence = 'hello, can you run my code?';
    const dmNotice = interpret(sentence, { explicit: true });
    if (dmNotice.kind !== 'notice') throw new Error('a DM with a sentence gets a notice');
    expect(await ask(chat, sentence)).toBe(renderNotice(dmNotice.message, CONSOLE).text);
    expect(await ask(chat, 'try `print(42)` please')).toMatch(/^⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+\n42$/);
  });

  it('takes a paste as one message: an unfenced loop gets one notice, and runs whole after /run', async () => {
    const chat = await openChat();
    const loop = 'for i in range(3):\n    print(i)\n';
    await chat.paste(loop);
    await chat.press('Enter');
    const screen = await chat.waitFor('the reply to the paste', (shown) => count(shown, PROMPT) === 2 && isAtPrompt(shown));
    expect(screen).toContain(`${PROMPT} for i in range(3):\n${CONTINUED}     print(i)\n${CONTINUED}\nNo code found.`);
    expect(count(screen, 'No code found.')).toBe(1);
    expect(screen).not.toContain(RUNNING);

    await chat.type('/run ');
    await chat.paste(loop);
    await chat.press('Enter');
    const ran = await chat.waitFor('the run of the paste', (shown) => count(shown, PROMPT) === 3 && isAtPrompt(shown));
    expect(ran).toMatch(/\.\.\.\n⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+\n0\n1\n2\nyou ›$/);

    await chat.paste('Look at this:\n```py\nprint("seen")\n```\n');
    await chat.press('Enter');
    const looked = await chat.waitFor('the reply to the block', (shown) => count(shown, PROMPT) === 4 && isAtPrompt(shown));
    expect(looked).toMatch(/\.\.\.\n⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+\nseen\nyou ›$/);
  });

  it('times the code after /timeit; after a lone /timeit, a first block is the setup', async () => {
    // Timing takes a second or two of repeats: a long wall clock, so a loaded host does not cut it.
    const chat = await openChat({ SANDBOX_TIMEOUT_S: '20' });
    expect(await ask(chat, '/timeit sum(range(100))')).toMatch(new RegExp(`^${escape(RUNNING)}\\n✅ done in [^\\n]+\\n${TIMEIT_SUMMARY}$`));

    await chat.type('/timeit');
    await chat.press('Enter');
    await chat.waitFor('the lone /timeit waiting for its code', (shown) => lastLine(shown) === CONTINUED);
    // Without the setup, sum(numbers) would fail with a NameError instead of being timed.
    await chat.paste('```py\nnumbers = list(range(100))\n```\n```py\nsum(numbers)\n```\n');
    await chat.press('Enter');
    const timed = await chat.waitFor('the timing with a setup', (shown) => count(shown, PROMPT) === 3 && isAtPrompt(shown));
    expect(timed).toMatch(new RegExp(`\`\`\`\\n\\.\\.\\.\\n${escape(RUNNING)}\\n✅ done in [^\\n]+\\n${TIMEIT_SUMMARY}\\n${PROMPT}$`));
  });

  it('runs /run 3.14 in Python 3.14, and /run alone in the default, each saying which ran', async () => {
    const chat = await openChat();
    const version = 'import sys; print(sys.version_info[:2])';
    expect(await ask(chat, `/run 3.14 ${version}`)).toMatch(/^⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+ · Python 3\.14\.\d+\n\(3, 14\)$/);
    expect(await ask(chat, `/run ${version}`)).toMatch(/^⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+ · Python 3\.13\.\d+\n\(3, 13\)$/);
  });

  it('cuts 1,000 printed lines to 30, as a chat would, and saves the full output to a file', async () => {
    const chat = await openChat();
    const reply = await ask(chat, '/run for i in range(1000): print(i)');
    const [running, status, ...rest] = reply.split('\n');
    expect([running, status]).toEqual([RUNNING, expect.stringMatching(/^✅ done in /)]);
    const saved = rest.pop() ?? '';
    const shown = rest.filter((line) => /^\d+$/.test(line));
    expect(shown).toHaveLength(CONSOLE.maxLines);
    expect(rest).toContain('… 970 lines hidden (full output in output.txt)');
    const path = /^📎 output\.txt: (\S+)$/.exec(saved)?.[1];
    expect(path, saved).toBeDefined();
    const full = Array.from({ length: 1000 }, (_, i) => `${i}\n`).join('');
    expect(await readFile(path!, 'utf8')).toBe(full);
    await rm(dirname(path!), { recursive: true });
  });

  it('drops what is typed on Ctrl-C, says how to quit, and quits on a second Ctrl-C at an empty prompt', async () => {
    const chat = await openChat();
    await chat.type('print(1');
    await chat.press('C-c');
    await chat.waitFor('the line dropped', (shown) => shown.endsWith(`(Message dropped. ${QUIT_HINT})\n${PROMPT}`));
    expect(await ask(chat, '/run print(2)')).toMatch(/\n2$/);

    await chat.press('C-c');
    await chat.waitFor('how to quit', (shown) => shown.endsWith(`(${QUIT_HINT})\n${PROMPT}`));
    await chat.press('C-c');
    expect(await chat.exitStatus()).toBe(0);
  });

  it('on Ctrl-D during a run, prints its reply, then quits with exit 0', async () => {
    const chat = await openChat();
    await chat.type('/run import time; time.sleep(1); print("answered")');
    await chat.press('Enter');
    await chat.waitFor('the run', (shown) => lastLine(shown) === RUNNING);
    await chat.press('C-d');
    expect(await chat.exitStatus()).toBe(0);
    expect(await chat.screen()).toMatch(/\n\(Quitting once this run is answered\.\)\n✅ done in [^\n]+\nanswered$/);
  });

  it('draws no prompt when the window is resized during a run', async () => {
    const chat = await openChat();
    const slow = '/run import time; time.sleep(1); print("resized")';
    await chat.type(slow);
    await chat.press('Enter');
    await chat.waitFor('the run', (shown) => lastLine(shown) === RUNNING);
    await chat.resize(100);
    const screen = await chat.waitFor('the reply', (shown) => count(shown, PROMPT) >= 2 && isAtPrompt(shown));
    expect(replyAfter(screen, slow)).toMatch(/^⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+\nresized$/);
  });

  it('on SIGTERM during a run, prints its reply, ends the prompt line and exits 0', async () => {
    // A stop gives a started run up to the run timeout: a long one, so a loaded engine's slow
    // container start does not cut it.
    const chat = await openChat({ SANDBOX_TIMEOUT_S: '20' });
    await chat.type('/run import time; time.sleep(1); print("finished")');
    await chat.press('Enter');
    const pid = await chat.pid();
    await waitForContainers(pid, 1);
    process.kill(pid, 'SIGTERM');
    expect(await chat.exitStatus()).toBe(0);
    expect(await chat.screen()).toMatch(/\n✅ done in [^\n]+\nfinished$/);
    expect(await leftTerminalAsFound(chat)).toBe(true);
  });

  it('refuses a run over the rate limit without showing it as running', async () => {
    const chat = await openChat({ LIMIT_USER_RUNS_PER_MINUTE: '1' });
    expect(await ask(chat, '/run print(1)')).toMatch(/^⏳ running… \(Ctrl-C cancels\)\n✅ done in [^\n]+\n1$/);
    expect(await ask(chat, '/run print(2)')).toMatch(/^Slow down: you have used this minute's runs\. Try again in \d+ s\.$/);
  });

  it('shows logs as readable lines, not JSON, and keeps the prompt working (Docker down)', async () => {
    const chat = await openChat({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(await ask(chat, '/run print(1)')).toMatch(/🚫 sandbox unavailable: Docker is not reachable/);
    const screen = await chat.screen();
    expect(screen).toMatch(/^\[\d\d:\d\d:\d\d\] (WARN|ERROR): /m);
    expect(screen).not.toContain('{"level"');
  });
});

/** Bracketed paste was switched on, then off again, and the last line was ended. */
async function leftTerminalAsFound(chat: TmuxTerminal): Promise<boolean> {
  const output = await chat.output();
  const on = output.lastIndexOf('\x1b[?2004h');
  const off = output.lastIndexOf('\x1b[?2004l');
  return on !== -1 && off > on && output.endsWith('\n');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
